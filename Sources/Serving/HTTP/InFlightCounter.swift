import Foundation

/// Counts requests between their first byte and their completion, so that a graceful stop can
/// wait for the ones in progress to finish before tearing connections down.
final class InFlightCounter: @unchecked Sendable {
    private let condition = NSCondition()
    private var count = 0

    func increment() {
        condition.lock()
        count += 1
        condition.unlock()
    }

    func decrement() {
        condition.lock()
        count -= 1
        if count == 0 { condition.broadcast() }
        condition.unlock()
    }

    var current: Int {
        condition.lock()
        defer { condition.unlock() }
        return count
    }

    /// Blocks until no request is in flight or `deadline` passes; answers whether it drained.
    @discardableResult
    func waitUntilZero(deadline: Date) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while count > 0 {
            if !condition.wait(until: deadline) { return count == 0 }
        }
        return true
    }
}
