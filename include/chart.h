/*
 * chart.h: a standalone SVG line chart of hourly counts (newswatch trends --svg): one line per
 * series, marks (surges) drawn as a dashed red line with a dot and a label. The file has no
 * script and no external resource (fonts are the viewer's sans-serif), and every text is
 * escaped for XML, so it opens in any browser or rsvg-convert as it is.
 *
 * Limits: at most CHART_SERIES series are drawn (the caller's first ones) and CHART_COLS
 * columns; each series at most CHART_MARKS marks.
 */
#ifndef NW_CHART_H
#define NW_CHART_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#define CHART_SERIES	8
#define CHART_COLS	2000
#define CHART_MARKS	32

/* A mark on a series: at column col, with a short label ("surge: rule"). */
struct chart_mark {
	size_t		 col;
	const char	*label;
};

struct chart_series {
	const char		*name;
	const unsigned		*v;	/* ncols values */
	const struct chart_mark	*marks;
	size_t			 nmarks;
};

struct chart {
	const char			*title;
	time_t				 start;	/* the first column's hour (UTC) */
	size_t				 ncols;	/* one column per hour */
	const struct chart_series	*series;
	size_t				 nseries;
};

/* chart.c */
/* Writes the chart as an SVG document to out: 0, or -1 if the write failed (logged by the
 * caller, who knows the file's name). Borrowed strings are only read. */
int	chart_svg(const struct chart *, FILE *out);

#endif
