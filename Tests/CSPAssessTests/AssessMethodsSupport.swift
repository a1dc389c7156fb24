import CSPTestSupport
import Foundation

/// True when `a` is within `tolerance` of `b` (relative for large values, absolute near zero).
func approx(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    guard let a, a.isFinite else { return false }
    return abs(a - b) <= tolerance * max(1, abs(b))
}
