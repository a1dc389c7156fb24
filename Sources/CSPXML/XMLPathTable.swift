import CLibXML2

/// Interns the paths of a record's fields, so that each distinct path becomes a Swift
/// `String` once, not once per occurrence, and only when a field actually uses it.
///
/// Paths form a tree rooted at the record element (node 0, path `""`). A node's children are
/// found by the addresses of libxml2's dictionary-owned name strings, which stay valid and
/// unique for the life of the parser context that produced them; a miss falls back to
/// comparing the names themselves, so correctness does not rest on the addresses.
/// Nodes store only those addresses: a path string is built on first use, so deep or wide
/// documents cost memory in proportion to the fields they produce.
struct XMLPathTable {
    /// A node: one element or attribute name under its parent.
    private struct Node {
        var parent: Int
        var local: UnsafePointer<xmlChar>?
        var prefix: UnsafePointer<xmlChar>?
        var isAttribute: Bool
        var firstChild: Int = -1
        var nextSibling: Int = -1
    }

    private var nodes: [Node] = [Node(parent: -1, local: nil, prefix: nil, isAttribute: false)]
    private var paths: [String?] = [""]
    /// Bytes held by built path strings, for deciding when to start afresh.
    private(set) var pathBytes = 0

    /// How many nodes the table holds.
    var count: Int { nodes.count }

    /// Forgets every node but the root; used between records once the table has grown large.
    mutating func reset() {
        nodes.removeSubrange(1...)
        nodes[0].firstChild = -1
        paths.removeSubrange(1...)
        pathBytes = 0
    }

    /// The node for `parent`'s child element or attribute with the given name, and whether it
    /// is new.
    mutating func child(
        of parent: Int, local: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?, isAttribute: Bool
    ) -> (node: Int, isNew: Bool) {
        var index = nodes[parent].firstChild
        while index >= 0 {
            let node = nodes[index]
            if node.local == local, node.prefix == prefix, node.isAttribute == isAttribute {
                return (index, false)
            }
            index = node.nextSibling
        }
        index = nodes[parent].firstChild
        while index >= 0 {
            let node = nodes[index]
            if node.isAttribute == isAttribute, let nodeLocal = node.local,
               Self.same(nodeLocal, local), Self.same(node.prefix, prefix) {
                // The same name at another address: reuse the node's path under a new key.
                return (addNode(parent: parent, local: local, prefix: prefix, isAttribute: isAttribute,
                                path: path(of: index)), false)
            }
            index = node.nextSibling
        }
        return (addNode(parent: parent, local: local, prefix: prefix, isAttribute: isAttribute, path: nil), true)
    }

    private mutating func addNode(
        parent: Int, local: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?, isAttribute: Bool, path: String?
    ) -> Int {
        nodes.append(Node(parent: parent, local: local, prefix: prefix, isAttribute: isAttribute,
                          nextSibling: nodes[parent].firstChild))
        paths.append(path)
        nodes[parent].firstChild = nodes.count - 1
        return nodes.count - 1
    }

    /// The path of `node`, as it appears in ``XMLField/path``, built on first use.
    mutating func path(of node: Int) -> String {
        if let known = paths[node] { return known }
        var names: [String] = []
        var current = node
        while current > 0 {
            let entry = nodes[current]
            if let local = entry.local {
                let name = Self.qualifiedName(local: local, prefix: entry.prefix)
                names.append(entry.isAttribute ? "@" + name : name)
            }
            current = entry.parent
        }
        let path = names.reversed().joined(separator: "/")
        paths[node] = path
        pathBytes += path.utf8.count
        return path
    }

    /// `prefix:local`, or `local` when there is no prefix.
    static func qualifiedName(local: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?) -> String {
        let localName = String(cString: local)
        guard let prefix else { return localName }
        return String(cString: prefix) + ":" + localName
    }

    private static func same(_ lhs: UnsafePointer<xmlChar>?, _ rhs: UnsafePointer<xmlChar>?) -> Bool {
        guard var lhs, var rhs else { return lhs == nil && rhs == nil }
        while lhs.pointee == rhs.pointee {
            if lhs.pointee == 0 { return true }
            lhs += 1
            rhs += 1
        }
        return false
    }
}
