import GRDB

// Fetching with SQL interpolation (`literal:`), so every value is a bound argument.

extension Row {
    static func fetchAll(_ db: Database, literal sql: SQL) throws -> [Row] {
        try fetchAll(db, SQLRequest<Row>(literal: sql))
    }

    static func fetchOne(_ db: Database, literal sql: SQL) throws -> Row? {
        try fetchOne(db, SQLRequest<Row>(literal: sql))
    }
}

extension DatabaseValueConvertible {
    static func fetchAll(_ db: Database, literal sql: SQL) throws -> [Self] {
        try fetchAll(db, SQLRequest<Self>(literal: sql))
    }

    static func fetchOne(_ db: Database, literal sql: SQL) throws -> Self? {
        try fetchOne(db, SQLRequest<Self>(literal: sql))
    }
}
