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

/// A generic error handler that discards libxml2's message. The handler type is
/// variadic, which Swift cannot write, so it lives here.
static void csp_discardGenericError(void *ctx, const char *msg, ...) {
    (void)ctx;
    (void)msg;
}

/// Silences libxml2's default printing to stderr for the calling thread (libxml2 keeps
/// the generic error handler per thread) and for threads created afterwards.
static inline void csp_silenceGenericErrors(void) {
    xmlSetGenericErrorFunc(NULL, csp_discardGenericError);
}

/// The same, as the default for threads libxml2 has not seen yet.
static inline void csp_silenceGenericErrorsByDefault(void) {
    xmlThrDefSetGenericErrorFunc(NULL, csp_discardGenericError);
}

#endif
