# Article extraction (issue 17): the HTML page's main text, its limits and charsets, and its
# token F1 against the hand-marked pages in tests/fixtures/articles (printed per page).
nw_unit(NAME test_article SOURCES ${NW_SRC}/article.c ${NW_SRC}/xmlcharset.c ${NW_SRC}/input.c ${NW_SRC}/util.c
	${NW_SRC}/log.c LIBS PkgConfig::XML2)

# newswatch article on the command line: files, standard input, URLs from a local server, errors.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME article_cli
	COMMAND ${Python3_EXECUTABLE} ${NW_TESTS}/integration/test_article_cli.py)
set_tests_properties(article_cli PROPERTIES TIMEOUT 120
	ENVIRONMENT "NEWSWATCH=$<TARGET_FILE:newswatch>;PYTHONDONTWRITEBYTECODE=1")
