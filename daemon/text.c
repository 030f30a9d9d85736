/* text.c: HTML fragments to plain text, character references, and the HTML named-entity table. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"
#include "util.h"

struct entity {
	const char	*name;
	const char	*utf8;
	int		 legacy;	/* HTML allows it without the ';' */
};

/*
 * Named character references: all 252 of HTML 4.01 (Latin-1, symbols, special) plus the HTML5
 * names feeds commonly use. Code points are those of the HTML specifications.
 * THIS TABLE MUST STAY SORTED by strcmp() of the name (bytewise, so upper case first): it is
 * searched with bsearch(), and test_text checks the order.
 */
static const struct entity entities[] = {
	{ "AElig", "\xc3\x86", 1 },
	{ "AMP", "\x26", 1 },
	{ "Aacute", "\xc3\x81", 1 },
	{ "Abreve", "\xc4\x82", 0 },
	{ "Acirc", "\xc3\x82", 1 },
	{ "Agrave", "\xc3\x80", 1 },
	{ "Alpha", "\xce\x91", 0 },
	{ "Amacr", "\xc4\x80", 0 },
	{ "Aogon", "\xc4\x84", 0 },
	{ "Aring", "\xc3\x85", 1 },
	{ "Atilde", "\xc3\x83", 1 },
	{ "Auml", "\xc3\x84", 1 },
	{ "Beta", "\xce\x92", 0 },
	{ "COPY", "\xc2\xa9", 1 },
	{ "Cacute", "\xc4\x86", 0 },
	{ "Ccaron", "\xc4\x8c", 0 },
	{ "Ccedil", "\xc3\x87", 1 },
	{ "Chi", "\xce\xa7", 0 },
	{ "CloseCurlyDoubleQuote", "\xe2\x80\x9d", 0 },
	{ "CloseCurlyQuote", "\xe2\x80\x99", 0 },
	{ "Dagger", "\xe2\x80\xa1", 0 },
	{ "Delta", "\xce\x94", 0 },
	{ "DiacriticalTilde", "\xcb\x9c", 0 },
	{ "Dot", "\xc2\xa8", 0 },
	{ "Dstrok", "\xc4\x90", 0 },
	{ "ETH", "\xc3\x90", 1 },
	{ "Eacute", "\xc3\x89", 1 },
	{ "Ecaron", "\xc4\x9a", 0 },
	{ "Ecirc", "\xc3\x8a", 1 },
	{ "Edot", "\xc4\x96", 0 },
	{ "Egrave", "\xc3\x88", 1 },
	{ "Emacr", "\xc4\x92", 0 },
	{ "Eogon", "\xc4\x98", 0 },
	{ "Epsilon", "\xce\x95", 0 },
	{ "Eta", "\xce\x97", 0 },
	{ "Euml", "\xc3\x8b", 1 },
	{ "GT", "\x3e", 1 },
	{ "Gamma", "\xce\x93", 0 },
	{ "Gbreve", "\xc4\x9e", 0 },
	{ "Hat", "\x5e", 0 },
	{ "Iacute", "\xc3\x8d", 1 },
	{ "Icirc", "\xc3\x8e", 1 },
	{ "Idot", "\xc4\xb0", 0 },
	{ "Igrave", "\xc3\x8c", 1 },
	{ "Imacr", "\xc4\xaa", 0 },
	{ "Iota", "\xce\x99", 0 },
	{ "Iuml", "\xc3\x8f", 1 },
	{ "Kappa", "\xce\x9a", 0 },
	{ "LT", "\x3c", 1 },
	{ "Lambda", "\xce\x9b", 0 },
	{ "Lstrok", "\xc5\x81", 0 },
	{ "Mu", "\xce\x9c", 0 },
	{ "Nacute", "\xc5\x83", 0 },
	{ "Ncaron", "\xc5\x87", 0 },
	{ "NewLine", "\x0a", 0 },
	{ "NonBreakingSpace", "\xc2\xa0", 0 },
	{ "Ntilde", "\xc3\x91", 1 },
	{ "Nu", "\xce\x9d", 0 },
	{ "OElig", "\xc5\x92", 0 },
	{ "Oacute", "\xc3\x93", 1 },
	{ "Ocirc", "\xc3\x94", 1 },
	{ "Odblac", "\xc5\x90", 0 },
	{ "Ograve", "\xc3\x92", 1 },
	{ "Omacr", "\xc5\x8c", 0 },
	{ "Omega", "\xce\xa9", 0 },
	{ "Omicron", "\xce\x9f", 0 },
	{ "OpenCurlyDoubleQuote", "\xe2\x80\x9c", 0 },
	{ "OpenCurlyQuote", "\xe2\x80\x98", 0 },
	{ "Oslash", "\xc3\x98", 1 },
	{ "Otilde", "\xc3\x95", 1 },
	{ "Ouml", "\xc3\x96", 1 },
	{ "Phi", "\xce\xa6", 0 },
	{ "Pi", "\xce\xa0", 0 },
	{ "Prime", "\xe2\x80\xb3", 0 },
	{ "Psi", "\xce\xa8", 0 },
	{ "QUOT", "\x22", 1 },
	{ "REG", "\xc2\xae", 1 },
	{ "Rcaron", "\xc5\x98", 0 },
	{ "Rho", "\xce\xa1", 0 },
	{ "Sacute", "\xc5\x9a", 0 },
	{ "Scaron", "\xc5\xa0", 0 },
	{ "Scedil", "\xc5\x9e", 0 },
	{ "Sigma", "\xce\xa3", 0 },
	{ "Sqrt", "\xe2\x88\x9a", 0 },
	{ "THORN", "\xc3\x9e", 1 },
	{ "TRADE", "\xe2\x84\xa2", 0 },
	{ "Tab", "\x09", 0 },
	{ "Tau", "\xce\xa4", 0 },
	{ "Tcedil", "\xc5\xa2", 0 },
	{ "Theta", "\xce\x98", 0 },
	{ "ThinSpace", "\xe2\x80\x89", 0 },
	{ "Uacute", "\xc3\x9a", 1 },
	{ "Ucirc", "\xc3\x9b", 1 },
	{ "Udblac", "\xc5\xb0", 0 },
	{ "Ugrave", "\xc3\x99", 1 },
	{ "Umacr", "\xc5\xaa", 0 },
	{ "Upsilon", "\xce\xa5", 0 },
	{ "Uring", "\xc5\xae", 0 },
	{ "Uuml", "\xc3\x9c", 1 },
	{ "Xi", "\xce\x9e", 0 },
	{ "Yacute", "\xc3\x9d", 1 },
	{ "Yuml", "\xc5\xb8", 0 },
	{ "Zacute", "\xc5\xb9", 0 },
	{ "Zcaron", "\xc5\xbd", 0 },
	{ "Zdot", "\xc5\xbb", 0 },
	{ "ZeroWidthSpace", "\xe2\x80\x8b", 0 },
	{ "Zeta", "\xce\x96", 0 },
	{ "aacute", "\xc3\xa1", 1 },
	{ "abreve", "\xc4\x83", 0 },
	{ "acirc", "\xc3\xa2", 1 },
	{ "acute", "\xc2\xb4", 1 },
	{ "aelig", "\xc3\xa6", 1 },
	{ "agrave", "\xc3\xa0", 1 },
	{ "alefsym", "\xe2\x84\xb5", 0 },
	{ "alpha", "\xce\xb1", 0 },
	{ "amacr", "\xc4\x81", 0 },
	{ "amp", "\x26", 1 },
	{ "and", "\xe2\x88\xa7", 0 },
	{ "ang", "\xe2\x88\xa0", 0 },
	{ "angst", "\xc3\x85", 0 },
	{ "aogon", "\xc4\x85", 0 },
	{ "apos", "\x27", 0 },
	{ "aring", "\xc3\xa5", 1 },
	{ "ast", "\x2a", 0 },
	{ "asymp", "\xe2\x89\x88", 0 },
	{ "atilde", "\xc3\xa3", 1 },
	{ "auml", "\xc3\xa4", 1 },
	{ "bdquo", "\xe2\x80\x9e", 0 },
	{ "beta", "\xce\xb2", 0 },
	{ "brvbar", "\xc2\xa6", 1 },
	{ "bsol", "\x5c", 0 },
	{ "bull", "\xe2\x80\xa2", 0 },
	{ "cacute", "\xc4\x87", 0 },
	{ "cap", "\xe2\x88\xa9", 0 },
	{ "caret", "\xe2\x81\x81", 0 },
	{ "ccaron", "\xc4\x8d", 0 },
	{ "ccedil", "\xc3\xa7", 1 },
	{ "cedil", "\xc2\xb8", 1 },
	{ "cent", "\xc2\xa2", 1 },
	{ "centerdot", "\xc2\xb7", 0 },
	{ "check", "\xe2\x9c\x93", 0 },
	{ "chi", "\xcf\x87", 0 },
	{ "circ", "\xcb\x86", 0 },
	{ "clubs", "\xe2\x99\xa3", 0 },
	{ "colon", "\x3a", 0 },
	{ "comma", "\x2c", 0 },
	{ "commat", "\x40", 0 },
	{ "cong", "\xe2\x89\x85", 0 },
	{ "copy", "\xc2\xa9", 1 },
	{ "copysr", "\xe2\x84\x97", 0 },
	{ "crarr", "\xe2\x86\xb5", 0 },
	{ "cross", "\xe2\x9c\x97", 0 },
	{ "cup", "\xe2\x88\xaa", 0 },
	{ "curren", "\xc2\xa4", 1 },
	{ "dArr", "\xe2\x87\x93", 0 },
	{ "dagger", "\xe2\x80\xa0", 0 },
	{ "darr", "\xe2\x86\x93", 0 },
	{ "dash", "\xe2\x80\x90", 0 },
	{ "deg", "\xc2\xb0", 1 },
	{ "delta", "\xce\xb4", 0 },
	{ "diams", "\xe2\x99\xa6", 0 },
	{ "die", "\xc2\xa8", 0 },
	{ "div", "\xc3\xb7", 0 },
	{ "divide", "\xc3\xb7", 1 },
	{ "dollar", "\x24", 0 },
	{ "dot", "\xcb\x99", 0 },
	{ "dstrok", "\xc4\x91", 0 },
	{ "eacute", "\xc3\xa9", 1 },
	{ "ecaron", "\xc4\x9b", 0 },
	{ "ecirc", "\xc3\xaa", 1 },
	{ "edot", "\xc4\x97", 0 },
	{ "egrave", "\xc3\xa8", 1 },
	{ "ell", "\xe2\x84\x93", 0 },
	{ "emacr", "\xc4\x93", 0 },
	{ "empty", "\xe2\x88\x85", 0 },
	{ "emsp", "\xe2\x80\x83", 0 },
	{ "emsp13", "\xe2\x80\x84", 0 },
	{ "emsp14", "\xe2\x80\x85", 0 },
	{ "ensp", "\xe2\x80\x82", 0 },
	{ "eogon", "\xc4\x99", 0 },
	{ "epsilon", "\xce\xb5", 0 },
	{ "equals", "\x3d", 0 },
	{ "equiv", "\xe2\x89\xa1", 0 },
	{ "eta", "\xce\xb7", 0 },
	{ "eth", "\xc3\xb0", 1 },
	{ "euml", "\xc3\xab", 1 },
	{ "euro", "\xe2\x82\xac", 0 },
	{ "excl", "\x21", 0 },
	{ "exist", "\xe2\x88\x83", 0 },
	{ "female", "\xe2\x99\x80", 0 },
	{ "fnof", "\xc6\x92", 0 },
	{ "forall", "\xe2\x88\x80", 0 },
	{ "frac12", "\xc2\xbd", 1 },
	{ "frac13", "\xe2\x85\x93", 0 },
	{ "frac14", "\xc2\xbc", 1 },
	{ "frac15", "\xe2\x85\x95", 0 },
	{ "frac16", "\xe2\x85\x99", 0 },
	{ "frac18", "\xe2\x85\x9b", 0 },
	{ "frac23", "\xe2\x85\x94", 0 },
	{ "frac25", "\xe2\x85\x96", 0 },
	{ "frac34", "\xc2\xbe", 1 },
	{ "frac35", "\xe2\x85\x97", 0 },
	{ "frac38", "\xe2\x85\x9c", 0 },
	{ "frac45", "\xe2\x85\x98", 0 },
	{ "frac56", "\xe2\x85\x9a", 0 },
	{ "frac58", "\xe2\x85\x9d", 0 },
	{ "frac78", "\xe2\x85\x9e", 0 },
	{ "frasl", "\xe2\x81\x84", 0 },
	{ "gamma", "\xce\xb3", 0 },
	{ "gbreve", "\xc4\x9f", 0 },
	{ "ge", "\xe2\x89\xa5", 0 },
	{ "geq", "\xe2\x89\xa5", 0 },
	{ "grave", "\x60", 0 },
	{ "gt", "\x3e", 1 },
	{ "hArr", "\xe2\x87\x94", 0 },
	{ "hairsp", "\xe2\x80\x8a", 0 },
	{ "half", "\xc2\xbd", 0 },
	{ "harr", "\xe2\x86\x94", 0 },
	{ "hbar", "\xe2\x84\x8f", 0 },
	{ "hearts", "\xe2\x99\xa5", 0 },
	{ "hellip", "\xe2\x80\xa6", 0 },
	{ "horbar", "\xe2\x80\x95", 0 },
	{ "hyphen", "\xe2\x80\x90", 0 },
	{ "iacute", "\xc3\xad", 1 },
	{ "icirc", "\xc3\xae", 1 },
	{ "iexcl", "\xc2\xa1", 1 },
	{ "igrave", "\xc3\xac", 1 },
	{ "imacr", "\xc4\xab", 0 },
	{ "image", "\xe2\x84\x91", 0 },
	{ "imath", "\xc4\xb1", 0 },
	{ "incare", "\xe2\x84\x85", 0 },
	{ "infin", "\xe2\x88\x9e", 0 },
	{ "inodot", "\xc4\xb1", 0 },
	{ "int", "\xe2\x88\xab", 0 },
	{ "iota", "\xce\xb9", 0 },
	{ "iquest", "\xc2\xbf", 1 },
	{ "isin", "\xe2\x88\x88", 0 },
	{ "iuml", "\xc3\xaf", 1 },
	{ "kappa", "\xce\xba", 0 },
	{ "lArr", "\xe2\x87\x90", 0 },
	{ "lambda", "\xce\xbb", 0 },
	{ "lang", "\xe2\x8c\xa9", 0 },
	{ "laquo", "\xc2\xab", 1 },
	{ "larr", "\xe2\x86\x90", 0 },
	{ "lbrace", "\x7b", 0 },
	{ "lbrack", "\x5b", 0 },
	{ "lceil", "\xe2\x8c\x88", 0 },
	{ "lcub", "\x7b", 0 },
	{ "ldquo", "\xe2\x80\x9c", 0 },
	{ "ldquor", "\xe2\x80\x9e", 0 },
	{ "le", "\xe2\x89\xa4", 0 },
	{ "leftarrow", "\xe2\x86\x90", 0 },
	{ "leq", "\xe2\x89\xa4", 0 },
	{ "lfloor", "\xe2\x8c\x8a", 0 },
	{ "lowast", "\xe2\x88\x97", 0 },
	{ "lowbar", "\x5f", 0 },
	{ "loz", "\xe2\x97\x8a", 0 },
	{ "lpar", "\x28", 0 },
	{ "lrm", "\xe2\x80\x8e", 0 },
	{ "lsaquo", "\xe2\x80\xb9", 0 },
	{ "lsqb", "\x5b", 0 },
	{ "lsquo", "\xe2\x80\x98", 0 },
	{ "lsquor", "\xe2\x80\x9a", 0 },
	{ "lstrok", "\xc5\x82", 0 },
	{ "lt", "\x3c", 1 },
	{ "macr", "\xc2\xaf", 1 },
	{ "male", "\xe2\x99\x82", 0 },
	{ "mdash", "\xe2\x80\x94", 0 },
	{ "micro", "\xc2\xb5", 1 },
	{ "middot", "\xc2\xb7", 1 },
	{ "minus", "\xe2\x88\x92", 0 },
	{ "mldr", "\xe2\x80\xa6", 0 },
	{ "mp", "\xe2\x88\x93", 0 },
	{ "mu", "\xce\xbc", 0 },
	{ "nabla", "\xe2\x88\x87", 0 },
	{ "nacute", "\xc5\x84", 0 },
	{ "nbsp", "\xc2\xa0", 1 },
	{ "ncaron", "\xc5\x88", 0 },
	{ "ndash", "\xe2\x80\x93", 0 },
	{ "ne", "\xe2\x89\xa0", 0 },
	{ "ni", "\xe2\x88\x8b", 0 },
	{ "not", "\xc2\xac", 1 },
	{ "notin", "\xe2\x88\x89", 0 },
	{ "nsub", "\xe2\x8a\x84", 0 },
	{ "ntilde", "\xc3\xb1", 1 },
	{ "nu", "\xce\xbd", 0 },
	{ "num", "\x23", 0 },
	{ "numero", "\xe2\x84\x96", 0 },
	{ "numsp", "\xe2\x80\x87", 0 },
	{ "oacute", "\xc3\xb3", 1 },
	{ "ocirc", "\xc3\xb4", 1 },
	{ "odblac", "\xc5\x91", 0 },
	{ "oelig", "\xc5\x93", 0 },
	{ "ograve", "\xc3\xb2", 1 },
	{ "ohm", "\xce\xa9", 0 },
	{ "oline", "\xe2\x80\xbe", 0 },
	{ "omacr", "\xc5\x8d", 0 },
	{ "omega", "\xcf\x89", 0 },
	{ "omicron", "\xce\xbf", 0 },
	{ "oplus", "\xe2\x8a\x95", 0 },
	{ "or", "\xe2\x88\xa8", 0 },
	{ "ordf", "\xc2\xaa", 1 },
	{ "ordm", "\xc2\xba", 1 },
	{ "oslash", "\xc3\xb8", 1 },
	{ "otilde", "\xc3\xb5", 1 },
	{ "otimes", "\xe2\x8a\x97", 0 },
	{ "ouml", "\xc3\xb6", 1 },
	{ "para", "\xc2\xb6", 1 },
	{ "part", "\xe2\x88\x82", 0 },
	{ "percnt", "\x25", 0 },
	{ "period", "\x2e", 0 },
	{ "permil", "\xe2\x80\xb0", 0 },
	{ "perp", "\xe2\x8a\xa5", 0 },
	{ "phi", "\xcf\x86", 0 },
	{ "phone", "\xe2\x98\x8e", 0 },
	{ "pi", "\xcf\x80", 0 },
	{ "piv", "\xcf\x96", 0 },
	{ "planck", "\xe2\x84\x8f", 0 },
	{ "plus", "\x2b", 0 },
	{ "plusmn", "\xc2\xb1", 1 },
	{ "pm", "\xc2\xb1", 0 },
	{ "pound", "\xc2\xa3", 1 },
	{ "prime", "\xe2\x80\xb2", 0 },
	{ "prod", "\xe2\x88\x8f", 0 },
	{ "prop", "\xe2\x88\x9d", 0 },
	{ "psi", "\xcf\x88", 0 },
	{ "puncsp", "\xe2\x80\x88", 0 },
	{ "quest", "\x3f", 0 },
	{ "quot", "\x22", 1 },
	{ "rArr", "\xe2\x87\x92", 0 },
	{ "radic", "\xe2\x88\x9a", 0 },
	{ "rang", "\xe2\x8c\xaa", 0 },
	{ "raquo", "\xc2\xbb", 1 },
	{ "rarr", "\xe2\x86\x92", 0 },
	{ "rbrace", "\x7d", 0 },
	{ "rbrack", "\x5d", 0 },
	{ "rcaron", "\xc5\x99", 0 },
	{ "rceil", "\xe2\x8c\x89", 0 },
	{ "rcub", "\x7d", 0 },
	{ "rdquo", "\xe2\x80\x9d", 0 },
	{ "rdquor", "\xe2\x80\x9d", 0 },
	{ "real", "\xe2\x84\x9c", 0 },
	{ "reg", "\xc2\xae", 1 },
	{ "rfloor", "\xe2\x8c\x8b", 0 },
	{ "rho", "\xcf\x81", 0 },
	{ "rightarrow", "\xe2\x86\x92", 0 },
	{ "rlm", "\xe2\x80\x8f", 0 },
	{ "rpar", "\x29", 0 },
	{ "rsaquo", "\xe2\x80\xba", 0 },
	{ "rsqb", "\x5d", 0 },
	{ "rsquo", "\xe2\x80\x99", 0 },
	{ "rsquor", "\xe2\x80\x99", 0 },
	{ "sacute", "\xc5\x9b", 0 },
	{ "sbquo", "\xe2\x80\x9a", 0 },
	{ "scaron", "\xc5\xa1", 0 },
	{ "scedil", "\xc5\x9f", 0 },
	{ "sdot", "\xe2\x8b\x85", 0 },
	{ "sect", "\xc2\xa7", 1 },
	{ "semi", "\x3b", 0 },
	{ "shy", "\xc2\xad", 1 },
	{ "sigma", "\xcf\x83", 0 },
	{ "sigmaf", "\xcf\x82", 0 },
	{ "sim", "\xe2\x88\xbc", 0 },
	{ "sol", "\x2f", 0 },
	{ "spades", "\xe2\x99\xa0", 0 },
	{ "star", "\xe2\x98\x86", 0 },
	{ "starf", "\xe2\x98\x85", 0 },
	{ "sub", "\xe2\x8a\x82", 0 },
	{ "sube", "\xe2\x8a\x86", 0 },
	{ "sum", "\xe2\x88\x91", 0 },
	{ "sup", "\xe2\x8a\x83", 0 },
	{ "sup1", "\xc2\xb9", 1 },
	{ "sup2", "\xc2\xb2", 1 },
	{ "sup3", "\xc2\xb3", 1 },
	{ "supe", "\xe2\x8a\x87", 0 },
	{ "szlig", "\xc3\x9f", 1 },
	{ "tau", "\xcf\x84", 0 },
	{ "tcedil", "\xc5\xa3", 0 },
	{ "there4", "\xe2\x88\xb4", 0 },
	{ "theta", "\xce\xb8", 0 },
	{ "thetasym", "\xcf\x91", 0 },
	{ "thinsp", "\xe2\x80\x89", 0 },
	{ "thorn", "\xc3\xbe", 1 },
	{ "tilde", "\xcb\x9c", 0 },
	{ "times", "\xc3\x97", 1 },
	{ "trade", "\xe2\x84\xa2", 0 },
	{ "uArr", "\xe2\x87\x91", 0 },
	{ "uacute", "\xc3\xba", 1 },
	{ "uarr", "\xe2\x86\x91", 0 },
	{ "ucirc", "\xc3\xbb", 1 },
	{ "udblac", "\xc5\xb1", 0 },
	{ "ugrave", "\xc3\xb9", 1 },
	{ "umacr", "\xc5\xab", 0 },
	{ "uml", "\xc2\xa8", 1 },
	{ "upsih", "\xcf\x92", 0 },
	{ "upsilon", "\xcf\x85", 0 },
	{ "uring", "\xc5\xaf", 0 },
	{ "uuml", "\xc3\xbc", 1 },
	{ "verbar", "\x7c", 0 },
	{ "vert", "\x7c", 0 },
	{ "weierp", "\xe2\x84\x98", 0 },
	{ "xi", "\xce\xbe", 0 },
	{ "yacute", "\xc3\xbd", 1 },
	{ "yen", "\xc2\xa5", 1 },
	{ "yuml", "\xc3\xbf", 1 },
	{ "zacute", "\xc5\xba", 0 },
	{ "zcaron", "\xc5\xbe", 0 },
	{ "zdot", "\xc5\xbc", 0 },
	{ "zeta", "\xce\xb6", 0 },
	{ "zwj", "\xe2\x80\x8d", 0 },
	{ "zwnj", "\xe2\x80\x8c", 0 },
};
#define NENTITIES	(sizeof(entities) / sizeof(entities[0]))

static int
entity_cmp(const void *key, const void *elem)
{
	const char	*k = key, *name = ((const struct entity *)elem)->name;

	/* Most steps of the search are decided by the first letter: skip the call then. */
	if (k[0] != name[0])
		return (unsigned char)k[0] - (unsigned char)name[0];
	return strcmp(k, name);
}

static const struct entity *
entity_find(const char *name, size_t namelen)
{
	char	key[40];

	if (namelen == 0 || namelen >= sizeof(key))
		return NULL;
	memcpy(key, name, namelen);
	key[namelen] = '\0';
	return bsearch(key, entities, NENTITIES, sizeof(entities[0]), entity_cmp);
}

size_t
text_entity_lookup(const char *name, size_t namelen, char out[8])
{
	const struct entity	*e = entity_find(name, namelen);
	size_t			 n;

	if (e == NULL)
		return 0;
	n = strlen(e->utf8);
	memcpy(out, e->utf8, n + 1);
	return n;
}

const char *
text_entity_name(size_t i)
{
	return i < NENTITIES ? entities[i].name : NULL;
}

/* Encodes a code point as UTF-8 into out (4 bytes at most); returns the length. */
static size_t
utf8_put(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* HTML5 maps references to 0x80-0x9F as if they were windows-1252 bytes (&#146; is ’). */
static const uint16_t cp1252[32] = {
	0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
	0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178
};

/* &#NNN; or &#xHH; at s (s[0] == '&', s[1] == '#'): bytes consumed, 0 if not a reference. */
static size_t
numeric_ref(const char *s, size_t len, char out[8], size_t *outlen)
{
	size_t		i = 2, start;
	uint32_t	cp = 0;
	int		hex = 0, d;

	if (i < len && (s[i] == 'x' || s[i] == 'X')) {
		hex = 1;
		i++;
	}
	start = i;
	for (; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (hex && s[i] >= 'a' && s[i] <= 'f')
			d = s[i] - 'a' + 10;
		else if (hex && s[i] >= 'A' && s[i] <= 'F')
			d = s[i] - 'A' + 10;
		else
			break;
		if (cp <= 0x10ffff)
			cp = cp * (hex ? 16 : 10) + (uint32_t)d;
	}
	if (i == start)
		return 0;
	if (i < len && s[i] == ';')
		i++;
	if (cp >= 0x80 && cp <= 0x9f)
		cp = cp1252[cp - 0x80];
	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	*outlen = utf8_put(cp, out);
	return i;
}

/* A named reference at s (s[0] == '&'): bytes consumed, 0 if not one. */
static size_t
named_ref(const char *s, size_t len, char out[8], size_t *outlen)
{
	const struct entity	*e;
	size_t			 i = 1, n;

	while (i < len && i < 40 && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
	    (s[i] >= '0' && s[i] <= '9')))
		i++;
	if (i < len && s[i] == ';' && (*outlen = text_entity_lookup(s + 1, i - 1, out)) > 0)
		return i + 1;
	/* Without ';' HTML accepts only the legacy names, longest first ("&copy2024"). */
	for (n = i - 1; n >= 2; n--) {
		if ((e = entity_find(s + 1, n)) != NULL && e->legacy) {
			*outlen = strlen(e->utf8);
			memcpy(out, e->utf8, *outlen + 1);
			return n + 1;
		}
	}
	return 0;
}

/* Output with white-space folding: pending is 0 (none), 1 (space) or 2 (line break). */
struct out {
	struct buf	b;
	size_t		max;
	int		pending;
	int		full;
};

static void
out_space(struct out *o, int kind)
{
	if (kind > o->pending)
		o->pending = kind;
}

static void
out_bytes(struct out *o, const char *p, size_t n)
{
	if (o->full)
		return;
	if (o->pending && o->b.len > 0)
		buf_putc(&o->b, o->pending == 2 ? '\n' : ' ');
	o->pending = 0;
	if (o->b.data != NULL && o->b.len + n < o->b.cap && o->b.len + n <= o->b.max) {
		/* Room already allocated: the common case, without buf_append's bookkeeping. */
		memcpy(o->b.data + o->b.len, p, n);
		o->b.len += n;
		o->b.data[o->b.len] = '\0';
	} else {
		/*
		 * Past the buffer's cap, keep what fits: the text is cut at max later, so how the
		 * input was split into pieces never changes where the cut falls.
		 */
		if (n > o->b.max - o->b.len) {
			n = o->b.max - o->b.len;
			o->full = 1;
		}
		if (buf_append(&o->b, p, n) == -1)
			o->full = 1;
	}
	if (o->b.len > o->max)
		o->full = 1;
}

/* Cuts to max bytes without splitting a UTF-8 sequence, trims, and returns the string. */
static char *
out_finish(struct out *o)
{
	size_t	n = o->b.len;

	if (n > o->max) {
		n = o->max;
		while (n > 0 && ((unsigned char)o->b.data[n] & 0xc0) == 0x80)
			n--;
	}
	while (n > 0 && (o->b.data[n - 1] == ' ' || o->b.data[n - 1] == '\n'))
		n--;
	if (o->b.data)
		o->b.data[n] = '\0';
	o->b.len = n;
	return buf_steal(&o->b);
}

/* A character of the text: white space folds, NBSP counts as a space, controls vanish. */
static void
out_char(struct out *o, const char *p, size_t n)
{
	unsigned char	c = (unsigned char)p[0];

	if (n == 1 && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'))
		out_space(o, 1);
	else if (n == 2 && c == 0xc2 && (unsigned char)p[1] == 0xa0)
		out_space(o, 1);
	else if (n == 1 && (c < 0x20 || c == 0x7f))
		return;
	else
		out_bytes(o, p, n);
}

/* hint: the input length; the text is rarely longer, so one allocation usually does. */
static void
out_init(struct out *o, size_t max, size_t hint)
{
	/* Room for one character past max, so the cut can find a boundary. */
	buf_init(&o->b, max > BUF_DEFAULT_MAX - 8 ? BUF_DEFAULT_MAX : max + 8);
	o->max = max;
	o->pending = 0;
	o->full = 0;
	if (hint > max)
		hint = max;
	if (hint + 16 > 64) {
		o->b.data = xmalloc(hint + 16);
		o->b.cap = hint + 16;
		o->b.data[0] = '\0';
	}
}

/* Tags after which text starts on a new line. Sorted for bsearch. */
static const char *const block_tags[] = {
	"address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
	"figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
	"hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul"
};

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(a, *(const char *const *)b);
}

static int
is_block(const char *name)
{
	/* One-letter tags are the most frequent (a, b, i, p, ...): of them only p is a block. */
	if (name[0] != '\0' && name[1] == '\0')
		return name[0] == 'p';
	return bsearch(name, block_tags, sizeof(block_tags) / sizeof(block_tags[0]),
	    sizeof(block_tags[0]), str_cmp) != NULL;
}

/* Finds needle (ASCII, lower case) in s[0..len) ignoring case; returns its offset or len. */
static size_t
find_ci(const char *s, size_t len, const char *needle)
{
	size_t	n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (strncasecmp(s + i, needle, n) == 0)
			return i;
	return len;
}

static size_t
find(const char *s, size_t len, const char *needle)
{
	size_t	n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (s[i] == needle[0] && memcmp(s + i, needle, n) == 0)
			return i;
	return len;
}

/* End of a tag starting at s[0] == '<': offset just past its '>', skipping quoted values. */
static size_t
tag_end(const char *s, size_t len)
{
	size_t	i;
	char	q = 0;

	for (i = 1; i < len; i++) {
		if (q) {
			if (s[i] == q)
				q = 0;
		} else if (s[i] == '"' || s[i] == '\'') {
			if (s[i - 1] == '=' || s[i - 1] == ' ')
				q = s[i];
		} else if (s[i] == '>')
			return i + 1;
	}
	return len;
}

static int
isalnum_ascii(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static void
add_text(struct out *o, const char *s, size_t len, int refs);

/* Handles markup at s[0] == '<'; returns bytes consumed (0: not markup, a literal '<'). */
static size_t
markup(struct out *o, const char *s, size_t len)
{
	char	name[16];
	size_t	i, n, end;
	int	close = 0;

	if (len >= 4 && memcmp(s, "<!--", 4) == 0) {
		end = find(s + 4, len - 4, "-->");
		return end == len - 4 ? len : 4 + end + 3;
	}
	if (len >= 9 && memcmp(s, "<![CDATA[", 9) == 0) {
		end = find(s + 9, len - 9, "]]>");
		add_text(o, s + 9, end, 0);
		return end == len - 9 ? len : 9 + end + 3;
	}
	if (len >= 2 && (s[1] == '!' || s[1] == '?'))
		return tag_end(s, len);
	i = 1;
	if (i < len && s[i] == '/') {
		close = 1;
		i++;
	}
	if (i >= len || !((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
		return 0;
	for (n = 0; i < len && n < sizeof(name) - 1 && (isalnum_ascii(s[i]) || s[i] == ':'); i++)
		name[n++] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
	name[n] = '\0';
	end = tag_end(s, len);
	if (is_block(name))
		out_space(o, 2);
	if (!close && (strcmp(name, "script") == 0 || strcmp(name, "style") == 0)) {
		/* Raw text: everything up to the matching end tag goes. */
		n = find_ci(s + end, len - end, name[1] == 'c' ? "</script" : "</style");
		if (end + n == len)
			return len;
		return end + n + tag_end(s + end + n, len - end - n);
	}
	return end;
}

/*
 * Bytes copied as they are: not white space, controls, DEL, or 0xC2 (which leads NBSP and the
 * C1 controls); in HTML not '&' either. 0xC2 is never a continuation byte, so a run of them
 * always ends on a character boundary. A table, because text extraction spends most of its
 * time asking this of every byte: bit 1 for plain text, bit 2 for HTML, bit 4 for the space.
 */
#define PLAIN(c)	(((c) > ' ' && (c) != 0x7f && (c) != 0xc2) * (1 + 2 * ((c) != '&')) + \
			    4 * ((c) == ' '))
#define PLAIN4(c)	PLAIN(c), PLAIN((c) + 1), PLAIN((c) + 2), PLAIN((c) + 3)
#define PLAIN16(c)	PLAIN4(c), PLAIN4((c) + 4), PLAIN4((c) + 8), PLAIN4((c) + 12)
static const unsigned char plain_bytes[256] = {
	PLAIN16(0x00), PLAIN16(0x10), PLAIN16(0x20), PLAIN16(0x30),
	PLAIN16(0x40), PLAIN16(0x50), PLAIN16(0x60), PLAIN16(0x70),
	PLAIN16(0x80), PLAIN16(0x90), PLAIN16(0xa0), PLAIN16(0xb0),
	PLAIN16(0xc0), PLAIN16(0xd0), PLAIN16(0xe0), PLAIN16(0xf0)
};

static int
plain_byte(unsigned char c, int refs)
{
	return plain_bytes[c] & (refs ? 2 : 1);
}

/*
 * Whether copy_run's byte loop would take all eight bytes at s: none is below a space, DEL,
 * 0xC2 or (refs) '&', and no space follows a space (after_space: the byte before s is one).
 * The test for a byte below 0x20 is exact for the word as a whole, which is all it answers.
 */
static int
plain_word(const char *s, int after_space, int refs)
{
	uint64_t	 w, sp, stop;

	memcpy(&w, s, 8);
	stop = (w - WORD_ONES * 0x20) & ~w & WORD_HIGHS;
	stop |= word_bytes_equal(w, 0x7f) | word_bytes_equal(w, 0xc2);
	if (refs)
		stop |= word_bytes_equal(w, '&');
	sp = word_bytes_equal(w, ' ');
	stop |= sp & ((sp << 8) | (after_space ? 0x80u : 0u));
	return stop == 0;
}

/*
 * Copies a run starting at s[0] (a plain byte) in one go: plain bytes and the single spaces
 * between them, since a lone space folds to itself. Returns the bytes consumed.
 */
static size_t
copy_run(struct out *o, const char *s, size_t len, int refs)
{
	unsigned	want = (refs ? 2u : 1u) | 4u;
	size_t		n = 1;

	/*
	 * Eight bytes at a time while none needs attention (little-endian only: the test relies
	 * on byte order in a shift): the byte loop below cost a fifth of text extraction.
	 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	while (len - n >= 8 && plain_word(s + n, s[n - 1] == ' ', refs))
		n += 8;
#endif
	/*
	 * One test per byte and no branch per word (words end at unpredictable places): stop
	 * at a byte that needs attention or at the second of two spaces, then hand a final
	 * space back to the caller, which folds it.
	 */
	while (n < len && (plain_bytes[(unsigned char)s[n]] & want) &&
	    !((s[n] == ' ') & (s[n - 1] == ' ')))
		n++;
	if (s[n - 1] == ' ')
		n--;
	out_bytes(o, s, n);
	return n;
}

/* Length of the UTF-8 sequence led by c (1 for a stray byte). */
static size_t
seq_len(unsigned char c)
{
	return c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

/* Text between tags, with character references decoded when refs is set. */
static void
add_text(struct out *o, const char *s, size_t len, int refs)
{
	char	ref[8];
	size_t	i = 0, n, rlen;

	while (i < len && !o->full) {
		unsigned char c = (unsigned char)s[i];

		/* Fast path: most text needs no attention byte by byte. */
		if (plain_byte(c, refs)) {
			i += copy_run(o, s + i, len - i, refs);
			continue;
		}
		if (refs && c == '&' && i + 1 < len) {
			n = s[i + 1] == '#' ? numeric_ref(s + i, len - i, ref, &rlen) :
			    named_ref(s + i, len - i, ref, &rlen);
			if (n > 0) {
				out_char(o, ref, rlen);
				i += n;
				continue;
			}
		}
		n = seq_len(c);
		if (n > len - i)
			n = len - i;
		out_char(o, s + i, n);
		i += n;
	}
}

char *
text_from_html(const char *html, size_t len, size_t max)
{
	struct out	o;
	size_t		i = 0, start, n;

	if (html != NULL)
		len = strnlen(html, len);
	out_init(&o, max, html != NULL ? len : 0);
	if (html == NULL)
		return out_finish(&o);
	while (i < len && !o.full) {
		const char *lt = memchr(html + i, '<', len - i);

		start = i;
		i = lt != NULL ? (size_t)(lt - html) : len;
		add_text(&o, html + start, i - start, 1);
		if (i >= len)
			break;
		if ((n = markup(&o, html + i, len - i)) == 0) {
			out_char(&o, "<", 1);
			n = 1;
		}
		i += n;
	}
	return out_finish(&o);
}

char *
text_from_plain(const char *s, size_t len, size_t max)
{
	struct out	o;
	size_t		i, n;

	if (s != NULL)
		len = strnlen(s, len);
	out_init(&o, max, s != NULL ? len : 0);
	if (s == NULL)
		return out_finish(&o);
	for (i = 0; i < len && !o.full; i += n) {
		unsigned char c = (unsigned char)s[i];

		if (plain_byte(c, 0)) {
			n = copy_run(&o, s + i, len - i, 0);
			continue;
		}
		n = seq_len(c);
		if (n > len - i)
			n = len - i;
		if (c == '\n')
			out_space(&o, 2);	/* plain text keeps its line breaks, single */
		else
			out_char(&o, s + i, n);
	}
	return out_finish(&o);
}
