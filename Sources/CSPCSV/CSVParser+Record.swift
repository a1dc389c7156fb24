private let lf: UInt8 = 0x0A
private let cr: UInt8 = 0x0D
private let quote: UInt8 = 0x22

/// Record and field bookkeeping for `CSVParser`: the output buffer, the field cap, problems,
/// UTF-8 repair and the field-count check.
extension CSVParser {
    /// Starts a new record at the current line with an empty buffer and no problem.
    @inline(__always)
    mutating func beginRecord() {
        outCount = 0
        fieldCount = 0
        fieldStart = 0
        skipping = false
        problem = nil
        recordLine = line
    }

    /// Keeps `found` unless the record already has a problem (the first one wins).
    @inline(__always)
    mutating func report(_ found: CSVProblem) {
        if problem == nil { problem = found }
    }

    /// Closes the current field at the end of the output buffer.
    @inline(__always)
    mutating func endField() {
        if fieldCount == endsCapacity { growEnds() }
        ends[fieldCount] = outCount
        fieldCount &+= 1
        fieldStart = outCount
        skipping = false
    }

    /// Closes the record at line-break byte `b` and moves to the next line.
    @inline(__always)
    mutating func endRecordAtLineBreak(_ b: UInt8) {
        state = .recordStart
        let endLine = line
        line &+= 1
        prevCR = b == cr
        completeRecord(endLine: endLine)
    }

    /// Finishes a record: line span, UTF-8 check and repair, field-count check.
    mutating func completeRecord(endLine: Int) {
        lineSpan = endLine &- recordLine &+ 1
        if encoding == .utf8 && !fieldsAreValidUTF8() { repairInvalidUTF8() }
        if expectedFields < 0 {
            expectedFields = fieldCount
        } else if fieldCount != expectedFields {
            report(.raggedRow(line: recordLine, expected: expectedFields, found: fieldCount))
        }
    }

    /// Doubles the field-end table.
    mutating func growEnds() {
        let newCapacity = endsCapacity * 2
        let grown = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
        grown.update(from: ends, count: fieldCount)
        ends.deallocate()
        ends = grown
        endsCapacity = newCapacity
    }

    /// Makes room for `extra` more output bytes.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if outCount &+ extra > outCapacity { growOut(outCount + extra) }
    }

    /// Grows the output buffer (doubling) to hold at least `needed` bytes.
    mutating func growOut(_ needed: Int) {
        var newCapacity = outCapacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: out, count: outCount)
        out.deallocate()
        out = grown
        outCapacity = newCapacity
    }

    /// Appends a run of field bytes (in the input encoding), enforcing the field cap.
    @inline(__always)
    mutating func append(_ src: UnsafePointer<UInt8>, _ k: Int) {
        if skipping { return }
        if encoding != .utf8 {
            appendTranscoded(src, k)
            return
        }
        if outCount &- fieldStart &+ k > maxFieldBytes {
            fieldTooLong()
            return
        }
        reserve(k)
        (out + outCount).update(from: src, count: k)
        outCount &+= k
    }

    /// Appends one ASCII byte, enforcing the field cap.
    @inline(__always)
    mutating func appendByte(_ b: UInt8) {
        if skipping { return }
        if outCount &- fieldStart &+ 1 > maxFieldBytes {
            fieldTooLong()
            return
        }
        reserve(1)
        out[outCount] = b
        outCount &+= 1
    }

    /// Appends a run of single-byte-encoded bytes as UTF-8, enforcing the field cap.
    mutating func appendTranscoded(_ src: UnsafePointer<UInt8>, _ k: Int) {
        reserve(k &* 3)
        outCount = transcodeToUTF8(src, k, encoding: encoding, into: out, at: outCount)
        if outCount &- fieldStart > maxFieldBytes { fieldTooLong() }
    }

    /// Reports the current field as too long, drops its bytes and skips the rest of it.
    mutating func fieldTooLong() {
        report(.fieldTooLong(line: recordLine, field: fieldCount, limit: maxFieldBytes))
        outCount = fieldStart
        skipping = true
    }

    /// True when every field of the record is valid UTF-8: the whole record is, and no field
    /// starts inside a multi-byte sequence (which would split a character between fields).
    @inline(__always)
    func fieldsAreValidUTF8() -> Bool {
        switch utf8Check(out, outCount) {
        case .ascii:
            return true
        case .invalid:
            return false
        case .valid:
            for f in 0..<fieldCount &- 1 {
                let start = ends[f]
                if start < outCount && out[start] & 0xC0 == 0x80 { return false }
            }
            return true
        }
    }

    /// Validates every field as UTF-8; replaces invalid fields by their lossy decoding and
    /// reports the first one.
    mutating func repairInvalidUTF8() {
        var firstBad = -1
        for f in 0..<fieldCount {
            let start = f == 0 ? 0 : ends[f - 1]
            if !isValidUTF8(out + start, ends[f] - start) {
                firstBad = f
                break
            }
        }
        if firstBad < 0 { return }
        report(.invalidUTF8(line: recordLine, field: firstBad))
        var rebuilt: [UInt8] = []
        rebuilt.reserveCapacity(outCount + 16)
        var newEnds: [Int] = []
        newEnds.reserveCapacity(fieldCount)
        for f in 0..<fieldCount {
            let start = f == 0 ? 0 : ends[f - 1]
            let field = UnsafeBufferPointer(start: out + start, count: ends[f] - start)
            if f >= firstBad && !isValidUTF8(out + start, field.count) {
                rebuilt.append(contentsOf: String(decoding: field, as: UTF8.self).utf8)
            } else {
                rebuilt.append(contentsOf: field)
            }
            newEnds.append(rebuilt.count)
        }
        outCount = 0
        reserve(rebuilt.count)
        rebuilt.withUnsafeBufferPointer { out.update(from: $0.baseAddress!, count: $0.count) }
        outCount = rebuilt.count
        for f in 0..<fieldCount { ends[f] = newEnds[f] }
        fieldStart = outCount
    }
}
