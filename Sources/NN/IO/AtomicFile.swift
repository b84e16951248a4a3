import Foundation

/// Writes `data` so that readers see either the old file or the complete new one, never a
/// torn write: write a temporary file beside it, fsync, rename over the target, fsync the folder.
public func writeAtomically(_ data: Data, to url: URL) throws {
    let dir = url.deletingLastPathComponent()
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
    guard FileManager.default.createFile(atPath: tmp.path, contents: nil) else {
        throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: tmp.path])
    }
    let handle = try FileHandle(forWritingTo: tmp)
    do {
        try handle.write(contentsOf: data)
        try handle.synchronize()
        try handle.close()
    } catch {
        try? handle.close()
        try? FileManager.default.removeItem(at: tmp)
        throw error
    }
    guard rename(tmp.path, url.path) == 0 else {
        let code = errno
        try? FileManager.default.removeItem(at: tmp)
        throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
    }
    let fd = open(dir.path, O_RDONLY)
    if fd >= 0 { fsync(fd); close(fd) }
}
