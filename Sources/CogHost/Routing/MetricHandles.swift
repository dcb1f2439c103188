import CoreMetrics
import Synchronization

/// Metric handles made once per label set and reused. Making a swift-metrics `Counter` or
/// `Timer` copies its dimensions through generic code and asks the backend's registry under a
/// lock; per interaction that cost a quarter of the ingest path's CPU (BENCHMARKS.md).
///
/// ```swift
/// let events = MetricHandles<String, Counter> { Counter(label: "events_total", dimensions: [("type", $0)]) }
/// events[dispatch.name].increment()
/// ```
///
/// Handles remember which metrics backend made them: after `MetricsSystem.bootstrap` replaces
/// the default no-op backend, they are made again, so nothing recorded early is lost to it.
public final class MetricHandles<Key: Hashable & Sendable, Handle: Sendable>: Sendable {
    private let make: @Sendable (Key) -> Handle
    private let handles = Mutex<(backend: ObjectIdentifier?, byKey: [Key: Handle])>((nil, [:]))

    public init(_ make: @escaping @Sendable (Key) -> Handle) {
        self.make = make
    }

    public subscript(key: Key) -> Handle {
        let backend = ObjectIdentifier(type(of: MetricsSystem.factory))
        return handles.withLock { handles in
            if handles.backend != backend { handles = (backend, [:]) }
            if let handle = handles.byKey[key] { return handle }
            let handle = make(key)
            handles.byKey[key] = handle
            return handle
        }
    }
}
