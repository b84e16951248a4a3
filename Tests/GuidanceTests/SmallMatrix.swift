/// Dense double-precision matrices of a few rows: the closed forms of the Gaussian toy.
struct SmallMatrix: Equatable {
    let rows: Int, cols: Int
    var values: [Double]   // row-major

    init(rows: Int, cols: Int, values: [Double]? = nil) {
        self.rows = rows; self.cols = cols
        self.values = values ?? Array(repeating: 0, count: rows * cols)
        precondition(self.values.count == rows * cols)
    }

    static func identity(_ n: Int) -> SmallMatrix {
        var m = SmallMatrix(rows: n, cols: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    static func column(_ v: [Double]) -> SmallMatrix { SmallMatrix(rows: v.count, cols: 1, values: v) }

    subscript(i: Int, j: Int) -> Double {
        get { values[i * cols + j] }
        set { values[i * cols + j] = newValue }
    }

    var transposed: SmallMatrix {
        var t = SmallMatrix(rows: cols, cols: rows)
        for i in 0..<rows { for j in 0..<cols { t[j, i] = self[i, j] } }
        return t
    }

    static func * (a: SmallMatrix, b: SmallMatrix) -> SmallMatrix {
        precondition(a.cols == b.rows)
        var c = SmallMatrix(rows: a.rows, cols: b.cols)
        for i in 0..<a.rows { for k in 0..<a.cols { for j in 0..<b.cols { c[i, j] += a[i, k] * b[k, j] } } }
        return c
    }

    static func + (a: SmallMatrix, b: SmallMatrix) -> SmallMatrix {
        SmallMatrix(rows: a.rows, cols: a.cols, values: zip(a.values, b.values).map { $0 + $1 })
    }

    static func - (a: SmallMatrix, b: SmallMatrix) -> SmallMatrix {
        SmallMatrix(rows: a.rows, cols: a.cols, values: zip(a.values, b.values).map { $0 - $1 })
    }

    static func * (s: Double, a: SmallMatrix) -> SmallMatrix {
        SmallMatrix(rows: a.rows, cols: a.cols, values: a.values.map { s * $0 })
    }

    /// Gauss-Jordan with partial pivoting (the matrices here are small and well conditioned).
    var inverse: SmallMatrix {
        precondition(rows == cols)
        let n = rows
        var a = self, inv = SmallMatrix.identity(n)
        for col in 0..<n {
            let pivot = (col..<n).max { abs(a[$0, col]) < abs(a[$1, col]) }!
            for j in 0..<n {
                a.values.swapAt(col * n + j, pivot * n + j); inv.values.swapAt(col * n + j, pivot * n + j)
            }
            let p = a[col, col]
            for j in 0..<n { a[col, j] /= p; inv[col, j] /= p }
            for i in 0..<n where i != col {
                let f = a[i, col]
                for j in 0..<n { a[i, j] -= f * a[col, j]; inv[i, j] -= f * inv[col, j] }
            }
        }
        return inv
    }

    /// Lower-triangular L with L·Lᵀ = self (symmetric positive definite).
    var cholesky: SmallMatrix {
        var l = SmallMatrix(rows: rows, cols: cols)
        for i in 0..<rows {
            for j in 0...i {
                var s = self[i, j]
                for k in 0..<j { s -= l[i, k] * l[j, k] }
                l[i, j] = i == j ? s.squareRoot() : s / l[j, j]
            }
        }
        return l
    }

    /// The sub-matrix of the given rows and columns.
    func picking(rows r: [Int], cols c: [Int]) -> SmallMatrix {
        SmallMatrix(rows: r.count, cols: c.count, values: r.flatMap { i in c.map { j in self[i, j] } })
    }
}
