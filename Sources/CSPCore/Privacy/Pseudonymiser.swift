import CSPStorage
import Crypto

/// (SymmetricKey is immutable but not marked Sendable by swift-crypto, hence @unchecked.)
/// Keyed pseudonyms (HMAC-SHA256): the same identifier under the same key always gives the same pseudonym,
/// and without the key nobody can go back or test a guess. A new key gives unlinkable pseudonyms.
public struct Pseudonymiser: @unchecked Sendable {
    private let key: SymmetricKey
    /// HMAC with the key already absorbed: copied per pseudonym instead of setting the key up each time
    /// (the key set-up was most of a pseudonym's cost, about a quarter of cleaning a CMSII crime export).
    private let keyed: HMAC<SHA256>

    /// A pseudonymiser with the given key.
    public init(key: KeyFile) { self.key = key.key; keyed = HMAC<SHA256>(key: key.key) }

    /// `namespace` keeps kinds of identifier apart (a crime number and a YOS id with equal text differ).
    /// The value is trimmed and upper-cased first, so export spelling does not split one person in two.
    /// Returns 20 hex digits (80 bits) after a one-letter prefix; empty input stays empty.
    public func pseudonym(_ namespace: String, _ value: String) -> String {
        let normal = Self.normalised(value)
        if normal.isEmpty { return "" }
        var message = Array(namespace.utf8)
        message.append(0x1F)
        message.append(contentsOf: normal.utf8)
        var h = keyed
        h.update(data: message)
        let mac = h.finalize()
        return String((namespace.first ?? "P").uppercased()) + FileDigest.hex(Array(mac).prefix(10))
    }

    /// Trimmed of whitespace and upper-cased. Printable ASCII without surrounding spaces (every crime number and id
    /// seen so far) is upper-cased byte by byte; anything else goes through Foundation, as before.
    static func normalised(_ value: String) -> String {
        var ascii = true, lower = false
        for b in value.utf8 {
            if b < 0x20 || b >= 0x7F { ascii = false; break }
            if b >= 0x61 && b <= 0x7A { lower = true }
        }
        if ascii, let f = value.utf8.first, let l = value.utf8.last, f != 0x20, l != 0x20 {
            return lower ? String(decoding: value.utf8.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 32 : $0 }, as: UTF8.self) : value
        }
        return value.trimmingCharacters(in: .whitespaces).uppercased()
    }
}
