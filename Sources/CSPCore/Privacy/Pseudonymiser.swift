import Crypto

/// (SymmetricKey is immutable but not marked Sendable by swift-crypto, hence @unchecked.)
/// Keyed pseudonyms (HMAC-SHA256): the same identifier under the same key always gives the same pseudonym,
/// and without the key nobody can go back or test a guess. A new key gives unlinkable pseudonyms.
public struct Pseudonymiser: @unchecked Sendable {
    private let key: SymmetricKey

    /// A pseudonymiser with the given key.
    public init(key: KeyFile) { self.key = key.key }

    /// `namespace` keeps kinds of identifier apart (a crime number and a YOS id with equal text differ).
    /// The value is trimmed and upper-cased first, so export spelling does not split one person in two.
    /// Returns 20 hex digits (80 bits) after a one-letter prefix; empty input stays empty.
    public func pseudonym(_ namespace: String, _ value: String) -> String {
        let normal = value.trimmingCharacters(in: .whitespaces).uppercased()
        if normal.isEmpty { return "" }
        var message = Array(namespace.utf8)
        message.append(0x1F)
        message.append(contentsOf: normal.utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: key)
        return String((namespace.first ?? "P").uppercased()) + FileDigest.hex(Array(mac).prefix(10))
    }
}
