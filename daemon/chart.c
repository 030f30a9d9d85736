/* chart.c: an SVG line chart of hourly counts with marks, for newswatch trends --svg (chart.h). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chart.h"
#include "util.h"

/* The drawing: the plot area, and the legend to its right. */
#define W		960
#define H		480
#define LEFT		56
#define RIGHT		230
#define TOP		48
#define BOTTOM		56
#define PLOT_W		(W - LEFT - RIGHT)
#define PLOT_H		(H - TOP - BOTTOM)
#define NAME_MAX_LEN	28	/* a legend name is cut here (bytes, on a UTF-8 boundary) */

/* Colours that stay apart for most eyes (Tableau 10); surges in red are not among them. */
static const char *const colors[CHART_SERIES] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#17becf"
};
#define SURGE_COLOR	"#d62728"

/* Appends s with the five XML specials escaped; control characters are gone already
 * (str_oneline), and cut to max bytes on a UTF-8 boundary. */
static void
put_xml(struct buf *b, const char *s, size_t max)
{
	char	*o = str_oneline(s ? s : "");
	size_t	 n = 0, k;
	char	*p;

	for (p = o; *p && n < max; p += k, n += k) {
		if ((k = utf8_seq((const unsigned char *)p, strlen(p))) == 0)
			k = 1;
		if (n + k > max)
			break;
		switch (*p) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&apos;"); break;
		default: buf_append(b, p, k);
		}
	}
	if (*p)
		buf_puts(b, "\xe2\x80\xa6");	/* … */
	free(o);
}

/* A round top for the y axis (1, 2 or 5 times a power of ten, at least max) and its step. */
static unsigned
nice_top(unsigned max, unsigned *step)
{
	static const unsigned	m[] = { 1, 2, 5 };
	unsigned		p = 1, i;

	for (;;) {
		for (i = 0; i < 3; i++) {
			*step = m[i] * p;
			if ((unsigned long long)*step * 5 >= max)
				return (max + *step - 1) / *step * *step;
		}
		if (p > 100000000)
			return max;
		p *= 10;
	}
}

static double
x_of(const struct chart *c, size_t col)
{
	if (c->ncols <= 1)
		return LEFT + PLOT_W / 2.0;
	return LEFT + (double)col * PLOT_W / (double)(c->ncols - 1);
}

static double
y_of(unsigned v, unsigned top)
{
	return TOP + PLOT_H - (double)v * PLOT_H / (double)top;
}

/* The axes, grid lines and their labels. */
static void
put_axes(struct buf *b, const struct chart *c, size_t ncols, unsigned top, unsigned step)
{
	static const unsigned	steps[] = { 1, 2, 3, 6, 12, 24, 48, 72, 168 };
	struct tm		tm;
	time_t			t;
	char			label[32];
	unsigned		v, every = 168;
	size_t			i;

	for (v = 0; v <= top; v += step) {
		buf_printf(b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e0e0e0\"/>\n",
		    LEFT, y_of(v, top), LEFT + PLOT_W, y_of(v, top));
		buf_printf(b, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"12\">%u</text>\n",
		    LEFT - 6, y_of(v, top) + 4, v);
	}
	/* About a dozen labels on the time axis, on whole hours. */
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (ncols / steps[i] <= 12) {
			every = steps[i];
			break;
		}
	for (i = 0; i < ncols; i += every) {
		t = c->start + (time_t)i * 3600;
		gmtime_r(&t, &tm);
		strftime(label, sizeof(label), ncols > 24 ? "%d %H:00" : "%H:00", &tm);
		buf_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\"/>\n",
		    x_of(c, i), TOP + PLOT_H, x_of(c, i), TOP + PLOT_H + 5);
		buf_printf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\">%s"
		    "</text>\n", x_of(c, i), TOP + PLOT_H + 20, label);
	}
	buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n",
	    LEFT, TOP + PLOT_H, LEFT + PLOT_W, TOP + PLOT_H);
	buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n",
	    LEFT, TOP, LEFT, TOP + PLOT_H);
	buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\">"
	    "hour (UTC)</text>\n", LEFT + PLOT_W / 2, H - 12);
	buf_printf(b, "<text x=\"14\" y=\"%d\" font-size=\"12\" transform=\"rotate(-90 14 %d)\" "
	    "text-anchor=\"middle\">stories per hour</text>\n", TOP + PLOT_H / 2, TOP + PLOT_H / 2);
}

/* 1 if an earlier series has a mark with the same column and label: one surge raised for a
 * rule marks every entity it named, but its line and label are drawn once. */
static int
drawn_before(const struct chart *c, size_t k, const struct chart_mark *m)
{
	size_t	j, i;

	for (j = 0; j < k; j++)
		for (i = 0; i < c->series[j].nmarks && i < CHART_MARKS; i++)
			if (c->series[j].marks[i].col == m->col &&
			    strcmp(c->series[j].marks[i].label, m->label) == 0)
				return 1;
	return 0;
}

/* One series: its line, its surge marks and its legend entry. */
static void
put_series(struct buf *b, const struct chart *c, size_t k, size_t ncols, unsigned top)
{
	const struct chart_series	*s = &c->series[k];
	size_t				 i, nmarks = s->nmarks < CHART_MARKS ? s->nmarks : CHART_MARKS;
	int				 ly = TOP + 8 + (int)k * 22;

	buf_printf(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"",
	    colors[k]);
	for (i = 0; i < ncols; i++)
		buf_printf(b, "%s%.1f,%.1f", i ? " " : "", x_of(c, i), y_of(s->v[i], top));
	buf_puts(b, "\"/>\n");
	for (i = 0; i < nmarks; i++) {
		size_t	col = s->marks[i].col;

		if (col >= ncols)
			continue;
		buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"%s\" stroke=\"%s\" "
		    "stroke-width=\"2\"/>\n", x_of(c, col), y_of(s->v[col], top), colors[k],
		    SURGE_COLOR);
		if (drawn_before(c, k, &s->marks[i]))
			continue;
		buf_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
		    "stroke-dasharray=\"4 3\"/>\n", x_of(c, col), TOP, x_of(c, col), TOP + PLOT_H,
		    SURGE_COLOR);
		buf_printf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\" font-size=\"11\" "
		    "fill=\"%s\">", x_of(c, col) - 4, TOP + 12 + (int)(k + i) * 13, SURGE_COLOR);
		put_xml(b, s->marks[i].label, 60);
		buf_puts(b, "</text>\n");
	}
	buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
	    "stroke-width=\"3\"/>\n", W - RIGHT + 16, ly, W - RIGHT + 40, ly, colors[k]);
	buf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"13\">", W - RIGHT + 46, ly + 4);
	put_xml(b, s->name, NAME_MAX_LEN);
	if (s->nmarks > 0)
		buf_printf(b, " <tspan fill=\"%s\">\xe2\x96\xb2 surge</tspan>", SURGE_COLOR);
	buf_puts(b, "</text>\n");
}

int
chart_svg(const struct chart *c, FILE *out)
{
	struct buf	 b;
	size_t		 ncols = c->ncols < CHART_COLS ? c->ncols : CHART_COLS;
	size_t		 nseries = c->nseries < CHART_SERIES ? c->nseries : CHART_SERIES;
	size_t		 i, k;
	unsigned	 max = 1, top, step;
	int		 r;

	for (k = 0; k < nseries; k++)
		for (i = 0; i < ncols; i++)
			if (c->series[k].v[i] > max)
				max = c->series[k].v[i];
	top = nice_top(max, &step);
	buf_init(&b, 0);
	buf_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n"
	    "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n", W, H, W, H);
	buf_printf(&b, "<text x=\"%d\" y=\"26\" font-size=\"16\" font-weight=\"bold\">", LEFT);
	put_xml(&b, c->title, 200);
	buf_puts(&b, "</text>\n");
	put_axes(&b, c, ncols, top, step);
	for (k = 0; k < nseries; k++)
		put_series(&b, c, k, ncols, top);
	if (nseries == 0)
		buf_printf(&b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"14\">"
		    "no stories in this period</text>\n", LEFT + PLOT_W / 2, TOP + PLOT_H / 2);
	buf_puts(&b, "</svg>\n");
	r = fwrite(b.data, 1, b.len, out) == b.len ? 0 : -1;
	buf_free(&b);
	return r;
}
