/* diagram.h - box-and-arrow diagrams laid out by Graphviz (typeset stage,
 * beside the charts).
 *
 * A diagram is boxes (nodes), arrows between them (edges, optionally
 * labelled) and optional framed groups of boxes.  diagram_layout_new()
 * measures every text with the caller's function, wraps long names, and
 * hands Graphviz (cgraph + gvc, the "dot" engine, in process) boxes and
 * label areas of exactly those sizes; it reads back where Graphviz put
 * them and how it routed the arrows.  Nothing here draws: diagram_svg.c
 * writes a layout as SVG with real text, which the PDFs draw as vectors.
 *
 * Coordinates of a layout are points, origin top left, y down.  The same
 * diagram and measure function give the same layout, to the last digit.
 *
 * Ownership: a diagram owns copies of every string given to it; a layout
 * owns its arrays and borrows nothing from the diagram.
 */
#ifndef DOSSIER_DIAGRAM_H
#define DOSSIER_DIAGRAM_H

#include <glib.h>
#include <stdbool.h>

typedef enum {
	DIAGRAM_LEFT_RIGHT,	/* ranks left to right */
	DIAGRAM_TOP_DOWN,	/* ranks top to bottom */
} diagram_direction;

typedef enum {
	DIAGRAM_BOX_PLAIN,	/* a system of the company's */
	DIAGRAM_BOX_ACTOR,	/* a person: rounded */
	DIAGRAM_BOX_STORE,	/* a queue or a database */
	DIAGRAM_BOX_OUTSIDE,	/* another company's system (BSP, Meta): dashed */
	DIAGRAM_BOX_FOCUS,	/* the company itself: filled with the accent */
} diagram_box;

typedef struct {
	char *name;		/* bold, wrapped to DIAGRAM_WRAP points */
	char *note;		/* smaller second line(s); NULL for none */
	diagram_box box;
	int group;		/* index into groups, or -1 */
} diagram_node;

typedef struct {
	int from, to;		/* node indexes */
	char *label;		/* NULL for none */
} diagram_edge;

typedef struct {
	char *title;		/* the SVG's <title> */
	char *desc;		/* the SVG's <desc>: the diagram in words */
	diagram_direction dir;
	GPtrArray *nodes;	/* diagram_node* */
	GPtrArray *edges;	/* diagram_edge* */
	GPtrArray *groups;	/* char* group titles */
} diagram;

/* Sizes, points. */
#define DIAGRAM_NAME_SIZE 9.0
#define DIAGRAM_NOTE_SIZE 7.5
#define DIAGRAM_LABEL_SIZE 7.5
#define DIAGRAM_GROUP_SIZE 8.5
#define DIAGRAM_WRAP 120.0	/* longest line of a box before it wraps */
#define DIAGRAM_LABEL_WRAP 110.0

diagram *diagram_new(const char *title, diagram_direction dir);
void diagram_free(diagram *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(diagram, diagram_free)

/* Adds a group; returns its index. */
int diagram_group_add(diagram *d, const char *title);
/* Adds a box; returns its index.  `note` may be NULL or empty. */
int diagram_node_add(diagram *d, const char *name, const char *note, diagram_box box,
		     int group);
void diagram_edge_add(diagram *d, int from, int to, const char *label);

/* Width in points of `text` at `size`, bold or not. */
typedef double (*diagram_measure_fn)(const char *text, double size, bool bold, void *ud);

typedef struct {
	double x, y, w, h;
} diagram_rect;

typedef struct {
	double x, y;		/* baseline start of the line */
	double size;
	bool bold;
	char *text;
} diagram_text;

typedef struct {
	diagram_rect box;
	GPtrArray *lines;	/* diagram_text*, name lines then note lines */
} diagram_node_place;

typedef struct {
	double *pts;		/* x0 y0, then cubic Bézier segments: 3 points each */
	int n_pts;
	double tip_x, tip_y;	/* the arrow's point (the spline ends short of it) */
	diagram_rect label_box;	/* zero size when unlabelled */
	GPtrArray *lines;	/* diagram_text* of the label */
} diagram_edge_place;

typedef struct {
	diagram_rect box;
	diagram_text title;
} diagram_group_place;

typedef struct {
	double width, height;
	diagram_node_place *nodes;	/* one per diagram node */
	diagram_edge_place *edges;	/* one per edge */
	diagram_group_place *groups;	/* one per group */
	guint n_nodes, n_edges, n_groups;
} diagram_layout;

/* Lay out `d`.  Returns NULL with *why set (the reason, for the caller to
 * report; a new string it frees) when Graphviz refuses; the caller frees
 * the result with diagram_layout_free().
 * Safe to call from several threads (Graphviz is used under a lock). */
diagram_layout *diagram_layout_new(const diagram *d, diagram_measure_fn measure, void *ud,
				   char **why);
void diagram_layout_free(diagram_layout *l);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(diagram_layout, diagram_layout_free)

/* The DOT text handed to Graphviz (for tests and --verbose debugging). */
char *diagram_dot(const diagram *d, diagram_measure_fn measure, void *ud);

#endif
