import Foundation
import KyozonTestSupport
import Testing

/// The shipped systemd units pass `systemd-analyze verify` with kyozon installed at the path
/// they name (/usr/local/bin/kyozon). When nothing is installed there, the built binary is put
/// there for the check and removed after; an installed kyozon is left as it is.
@Suite struct SystemdUnitsTests {
    static let installed = "/usr/local/bin/kyozon"
    static let folder = PackagePaths.path("deploy/systemd")

    @Test func theUnitsVerify() throws {
        let units = try FileManager.default.contentsOfDirectory(atPath: Self.folder)
            .filter { $0.hasSuffix(".service") || $0.hasSuffix(".timer") }.sorted()
        #expect(units == [
            "kyozon-backup.service", "kyozon-backup.timer", "kyozon-collect.service", "kyozon-collect.timer",
            "kyozon-monthly.service", "kyozon-monthly.timer", "kyozon-serve.service",
        ])
        var placed = false
        if !FileManager.default.isExecutableFile(atPath: Self.installed) {
            try FileManager.default.createDirectory(atPath: "/usr/local/bin", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: ProcessRunner.kyozonBinary, toPath: Self.installed)
            placed = true
        }
        defer { if placed { try? FileManager.default.removeItem(atPath: Self.installed) } }
        let verify = try ProcessRunner.run("/usr/bin/systemd-analyze", ["verify"] + units.map { Self.folder + "/" + $0 })
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stderr.isEmpty, "no warnings: \(verify.stderr)")

        // Each unit's command is one kyozon understands.
        for unit in units where unit.hasSuffix(".service") {
            let text = try String(contentsOfFile: Self.folder + "/" + unit, encoding: .utf8)
            let exec = try #require(text.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
            let arguments = exec.dropFirst("ExecStart=/usr/local/bin/kyozon ".count).split(separator: " ").map(String.init)
            let help = try ProcessRunner.run(ProcessRunner.kyozonBinary, [arguments[0], "--help"])
            #expect(help.status == 0, "\(unit): kyozon \(arguments[0])")
        }
    }
}
