import CLibXML2

/// Process-wide libxml2 set-up, done once and thread-safely (a `static let` initialiser runs
/// exactly once): initialise the library, refuse every external entity, keep libxml2 quiet.
enum LibXML2Environment {
    /// Touch this before using libxml2.
    static let ready: Void = {
        xmlInitParser()
        // No DTD, external entity or XInclude is ever fetched, whatever the options say.
        xmlSetExternalEntityLoader { _, _, _ in nil }
        csp_silenceGenericErrorsByDefault()
    }()

    /// Installs the once-only set-up and silences libxml2's generic error printing on the
    /// calling thread (libxml2 keeps that handler per thread).
    static func prepareThread() {
        _ = ready
        csp_silenceGenericErrors()
    }
}
