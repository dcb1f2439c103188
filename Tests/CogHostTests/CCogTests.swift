import CogHost
import Testing

@Suite("The bundled cog written in plain C", .serialized)
struct CCogTests {
    @Test("/ping answers and keeps counting across a reload through export_state")
    func pingAcrossReload() async throws {
        var test = try await TestHost.start(installing: [("ping", "ping")])
        #expect(try await test.reply("/ping")?.content?.contains("Pong!") == true)
        #expect(try await test.reply("/ping")?.content?.hasSuffix("ping #2)") == true)
        let report = try await test.host.supervisor.reload("ping")
        #expect(report.sameBuild && report.toGeneration == 2)
        #expect(try await test.reply("/ping")?.content?.hasSuffix("ping #3)") == true)
        await test.stop()
    }
}
