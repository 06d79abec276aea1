/* load_yaml.h - YAML text to the value tree (first stage: load).
 *
 * libyaml parses; this file builds val nodes that carry FILE:LINE:COL.
 * Plain scalars are typed by the YAML 1.2 core schema (null, true/false,
 * integers, floats); quoted scalars are always strings.  Anchors and aliases
 * are expanded with a bound on the total number of nodes (so an alias bomb
 * fails fast), nesting depth is bounded, duplicate keys in a mapping are an
 * error, and so are non-scalar keys, tabs used as indentation, invalid
 * UTF-8 and explicit tags other than the core ones.
 */
#ifndef DOSSIER_LOAD_YAML_H
#define DOSSIER_LOAD_YAML_H

#include "base/value.h"

/* Limits, stated in README.md too. */
#define YAML_MAX_DEPTH 64		/* nested lists/maps */
#define YAML_MAX_NODES 1000000		/* nodes after alias expansion */
#define YAML_MAX_ALIAS_NODES 100000	/* of those, nodes copied by aliases */
#define YAML_MAX_BYTES (16u << 20)	/* input size */

/* Parse `len` bytes of YAML named `file` (for messages).  An empty document
 * yields a null node.  On bad input reports one located error through diag()
 * and returns NULL.  The caller owns the result. */
val *yaml_load_string(const char *file, const char *text, size_t len);

/* Read and parse a file; I/O errors are reported as "FILE: error: ...". */
val *yaml_load_file(const char *path);

#endif
