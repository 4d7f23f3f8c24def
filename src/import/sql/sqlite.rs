//! The query's rows from an SQLite file, which is only read: opened
//! read-only, with `query_only` on, and a statement that would write
//! refused before it runs. INTEGER, REAL, TEXT and NULL values are read;
//! a BLOB is an error naming its column.

use std::path::Path;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use super::{query_error, writes_error, Cell, Rows};
use crate::diagnostics::Diagnostic;

pub(super) fn read(path: &Path, query: &str, shown: &str) -> Result<Rows, Diagnostic> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection = Connection::open_with_flags(path, flags).map_err(|e| {
        Diagnostic::new(shown, format!("cannot open the SQLite database: {e}"))
            .hint("check that the file is an SQLite database you may read")
    })?;
    let fail = |e: rusqlite::Error| failure(e, shown, query);
    connection
        .execute_batch("PRAGMA query_only = ON")
        .map_err(fail)?;
    // An app that is writing holds its lock for a moment.
    connection
        .busy_timeout(std::time::Duration::from_secs(5))
        .map_err(fail)?;
    let mut statement = connection.prepare(query).map_err(fail)?;
    if !statement.readonly() {
        return Err(writes_error(
            shown,
            query,
            "it is not a statement that only reads",
        ));
    }
    let columns: Vec<String> = statement
        .column_names()
        .into_iter()
        .map(str::to_string)
        .collect();
    let mut rows = Rows {
        columns,
        rows: Vec::new(),
    };
    let mut result = statement.query([]).map_err(fail)?;
    while let Some(row) = result.next().map_err(fail)? {
        let mut cells = Vec::with_capacity(rows.columns.len());
        for (i, name) in rows.columns.iter().enumerate() {
            let cell = match row.get_ref(i).map_err(fail)? {
                ValueRef::Null => Cell::Null,
                ValueRef::Integer(n) => Cell::Int(n),
                ValueRef::Real(f) => Cell::Float(f),
                ValueRef::Text(bytes) => Cell::Text(String::from_utf8_lossy(bytes).into_owned()),
                ValueRef::Blob(_) => {
                    return Err(Diagnostic::new(
                        shown,
                        format!(
                            "the query's column `{name}` holds binary data (a BLOB) in row {}, which blog cannot read",
                            rows.rows.len() + 1
                        ),
                    )
                    .hint(format!(
                        "leave the column out of the query, or cast it: CAST({name} AS TEXT) AS {name}"
                    )))
                }
            };
            cells.push(cell);
        }
        rows.rows.push(cells);
    }
    Ok(rows)
}

/// SQLite's error, in the terms of the import.
fn failure(e: rusqlite::Error, shown: &str, query: &str) -> Diagnostic {
    use rusqlite::ErrorCode;
    match &e {
        rusqlite::Error::SqlInputError { msg, offset, .. } => {
            query_error(shown, query, msg, usize::try_from(*offset).ok())
        }
        rusqlite::Error::SqliteFailure(code, message) => match code.code {
            ErrorCode::NotADatabase => Diagnostic::new(
                shown,
                "is not an SQLite database (the file's format is another)",
            )
            .hint("give the app's SQLite .db file"),
            ErrorCode::ReadOnly => writes_error(shown, query, &e.to_string()),
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => {
                Diagnostic::new(shown, "is locked by another program that is writing to it")
                    .hint("stop the app (or wait until it is done) and import again")
            }
            _ => query_error(
                shown,
                query,
                message.as_deref().unwrap_or(&e.to_string()),
                None,
            ),
        },
        rusqlite::Error::MultipleStatement => {
            query_error(shown, query, "it holds more than one statement", None)
                .hint("give one SELECT")
        }
        _ => query_error(shown, query, &e.to_string(), None),
    }
}
