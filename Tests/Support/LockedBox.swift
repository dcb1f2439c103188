import Synchronization

/// A value shared between the tasks of one test.
public final class LockedBox<Value: Sendable>: Sendable {
    private let value: Mutex<Value>

    public init(_ value: Value) {
        self.value = Mutex(value)
    }

    public func withLock<T: Sendable>(_ body: (inout Value) -> T) -> T {
        value.withLock { body(&$0) }
    }

    public var current: Value { value.withLock { $0 } }
}
