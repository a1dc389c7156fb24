import CLibXML2
/// The libxml2 version this build links against.
public enum XMLProbe { public static var version: Int32 { LIBXML_VERSION } }
