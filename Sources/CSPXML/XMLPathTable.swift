import CLibXML2

/// Interns the paths of a record's fields, so that each distinct path is turned into a Swift
/// `String` once per file rather than once per occurrence.
///
/// Paths form a tree rooted at the record element (node 0, path `""`). A node's children are
/// found by the addresses of libxml2's dictionary-owned name strings, which stay valid and
/// unique for the life of the parser context that produced them; a miss falls back to
/// comparing the names themselves, so correctness does not rest on the addresses.
struct XMLPathTable {
    /// A child edge: element or attribute name (by dictionary address) to node.
    private struct Link {
        var local: UnsafePointer<xmlChar>
        var prefix: UnsafePointer<xmlChar>?
        var isAttribute: Bool
        var target: Int
        var next: Int
    }

    /// Each node's path, as it appears in ``XMLField/path``.
    private(set) var paths: [String] = [""]
    /// Each node's own qualified name (with "@" for attributes).
    private var names: [String] = [""]
    private var firstLink: [Int] = [-1]
    private var links: [Link] = []

    /// The node for `parent`'s child element or attribute with the given name.
    mutating func child(
        of parent: Int, local: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?, isAttribute: Bool
    ) -> Int {
        var index = firstLink[parent]
        while index >= 0 {
            let link = links[index]
            if link.local == local, link.prefix == prefix, link.isAttribute == isAttribute {
                return link.target
            }
            index = link.next
        }
        return slowChild(of: parent, local: local, prefix: prefix, isAttribute: isAttribute)
    }

    private mutating func slowChild(
        of parent: Int, local: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?, isAttribute: Bool
    ) -> Int {
        let qualified = Self.qualifiedName(local: local, prefix: prefix)
        let name = isAttribute ? "@" + qualified : qualified
        var target = -1
        var index = firstLink[parent]
        while index >= 0 {
            if names[links[index].target] == name {
                target = links[index].target
                break
            }
            index = links[index].next
        }
        if target < 0 {
            target = paths.count
            let parentPath = paths[parent]
            paths.append(parentPath.isEmpty ? name : parentPath + "/" + name)
            names.append(name)
            firstLink.append(-1)
        }
        links.append(Link(local: local, prefix: prefix, isAttribute: isAttribute, target: target, next: firstLink[parent]))
        firstLink[parent] = links.count - 1
        return target
    }

    /// `prefix:local`, or `local` when there is no prefix.
    static func qualifiedName(local: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?) -> String {
        let localName = String(cString: local)
        guard let prefix else { return localName }
        return String(cString: prefix) + ":" + localName
    }
}
