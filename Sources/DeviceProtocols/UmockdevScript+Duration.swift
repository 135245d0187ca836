import VitalsCore

extension UmockdevScript {
    /// The sum of every delay: how long the recording lasts.
    public var duration: RunTime {
        var ms: Int64 = 0
        for step in steps {
            switch step.operation {
            case .read(let d, _), .write(let d, _): ms += d.milliseconds
            case .fuzz: break
            }
        }
        return RunTime(milliseconds: ms)
    }
}
