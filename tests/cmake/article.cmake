# Article extraction (issue 17): the HTML page's main text, its limits and charsets, and its
# token F1 against the hand-marked pages in tests/fixtures/articles (printed per page).
nw_unit(NAME test_article SOURCES ${NW_SRC}/article.c ${NW_SRC}/xmlcharset.c ${NW_SRC}/input.c ${NW_SRC}/util.c
	${NW_SRC}/log.c LIBS PkgConfig::XML2)
