#ifndef CSP_CLIBXML2_SHIM_H
#define CSP_CLIBXML2_SHIM_H
// xmlversion.h first, then drop ICU: libxml2's ICU headers clash with Foundation's.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlIO.h>
#include <libxml/parserInternals.h>

/// xmlFree is a global function pointer, which Swift cannot call directly.
static inline void csp_xmlFree(void *ptr) { xmlFree(ptr); }

#endif
