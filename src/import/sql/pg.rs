//! The query's rows from a PostgreSQL server, which is only read: the
//! session's transactions are read-only, the query runs in a `BEGIN READ
//! ONLY` transaction, and that transaction is rolled back. Text types,
//! integers, floats, booleans, `timestamp` (read as UTC), `timestamptz`,
//! `date`, text arrays and `json`/`jsonb` are read; a column of another
//! type is an error that says how to cast it.

use std::time::Duration;

use postgres::error::{ErrorPosition, SqlState};
use postgres::types::{FromSql, Type};

use super::{hide_password, query_error, writes_error, Cell, Rows};
use crate::diagnostics::Diagnostic;

type FromSqlError = Box<dyn std::error::Error + Sync + Send>;

/// Seconds from 1970 to 2000, PostgreSQL's epoch.
const EPOCH_2000: i64 = 946_684_800;

/// `timestamp` and `timestamptz`: microseconds since 2000 in UTC.
struct Micros(i64);

impl<'a> FromSql<'a> for Micros {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, FromSqlError> {
        Ok(Micros(i64::from_be_bytes(raw.try_into()?)))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::TIMESTAMP || *ty == Type::TIMESTAMPTZ
    }
}

/// `date`: days since 2000-01-01.
struct Days(i32);

impl<'a> FromSql<'a> for Days {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, FromSqlError> {
        Ok(Days(i32::from_be_bytes(raw.try_into()?)))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::DATE
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Bool,
    Int2,
    Int4,
    Int8,
    Float4,
    Float8,
    Text,
    Time,
    Day,
    List,
    Json,
}

fn kind_of(ty: &Type) -> Option<Kind> {
    let kinds = [
        (Type::BOOL, Kind::Bool),
        (Type::INT2, Kind::Int2),
        (Type::INT4, Kind::Int4),
        (Type::INT8, Kind::Int8),
        (Type::FLOAT4, Kind::Float4),
        (Type::FLOAT8, Kind::Float8),
        (Type::TIMESTAMP, Kind::Time),
        (Type::TIMESTAMPTZ, Kind::Time),
        (Type::DATE, Kind::Day),
        (Type::JSON, Kind::Json),
        (Type::JSONB, Kind::Json),
    ];
    if let Some((_, kind)) = kinds.iter().find(|(t, _)| t == ty) {
        return Some(*kind);
    }
    if <String as FromSql>::accepts(ty) {
        return Some(Kind::Text);
    }
    if <Vec<Option<String>> as FromSql>::accepts(ty) {
        return Some(Kind::List);
    }
    None
}

pub(super) fn read(
    mut config: postgres::Config,
    url: &str,
    query: &str,
    shown: &str,
) -> Result<Rows, Diagnostic> {
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    let mut client = config
        .connect(postgres::NoTls)
        .map_err(|e| cannot_connect(&e, url, shown))?;
    let fail = |e: postgres::Error| failure(&e, url, query, shown);
    client
        .batch_execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        .map_err(fail)?;
    let mut transaction = client
        .build_transaction()
        .read_only(true)
        .start()
        .map_err(fail)?;
    let statement = transaction.prepare(query).map_err(fail)?;
    let found = transaction.query(&statement, &[]).map_err(fail)?;
    let mut kinds = Vec::new();
    for column in statement.columns() {
        let ty = column.type_();
        let Some(kind) = kind_of(ty) else {
            let name = column.name();
            return Err(Diagnostic::new(
                shown,
                format!(
                    "the query's column `{name}` is of type {}, which blog does not read",
                    ty.name()
                ),
            )
            .hint(format!(
                "cast it in the query: {name}::text AS {name} (or ::timestamptz, ::float8 for dates and numbers)"
            )));
        };
        kinds.push(kind);
    }
    let mut rows = Rows {
        columns: statement
            .columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect(),
        rows: Vec::new(),
    };
    for row in &found {
        let mut cells = Vec::with_capacity(kinds.len());
        for (i, kind) in kinds.iter().enumerate() {
            let bad = |e: postgres::Error| {
                Diagnostic::new(
                    shown,
                    format!(
                        "the query's column `{}` in row {} cannot be read: {e}",
                        rows.columns[i],
                        rows.rows.len() + 1
                    ),
                )
                .hint("cast it to text in the query (::text)")
            };
            let cell = match kind {
                Kind::Bool => row
                    .try_get::<_, Option<bool>>(i)
                    .map_err(bad)?
                    .map(Cell::Bool),
                Kind::Int2 => row
                    .try_get::<_, Option<i16>>(i)
                    .map_err(bad)?
                    .map(|n| Cell::Int(n.into())),
                Kind::Int4 => row
                    .try_get::<_, Option<i32>>(i)
                    .map_err(bad)?
                    .map(|n| Cell::Int(n.into())),
                Kind::Int8 => row
                    .try_get::<_, Option<i64>>(i)
                    .map_err(bad)?
                    .map(Cell::Int),
                Kind::Float4 => row
                    .try_get::<_, Option<f32>>(i)
                    .map_err(bad)?
                    .map(|f| Cell::Float(f.into())),
                Kind::Float8 => row
                    .try_get::<_, Option<f64>>(i)
                    .map_err(bad)?
                    .map(Cell::Float),
                Kind::Text => row
                    .try_get::<_, Option<String>>(i)
                    .map_err(bad)?
                    .map(Cell::Text),
                Kind::List => row
                    .try_get::<_, Option<Vec<Option<String>>>>(i)
                    .map_err(bad)?
                    .map(|items| Cell::List(items.into_iter().flatten().collect())),
                Kind::Json => row
                    .try_get::<_, Option<serde_json::Value>>(i)
                    .map_err(bad)?
                    .map(Cell::Json),
                Kind::Time => match row.try_get::<_, Option<Micros>>(i).map_err(bad)? {
                    None => None,
                    Some(Micros(micros)) => Some(
                        micros
                            .checked_add(EPOCH_2000 * 1_000_000)
                            .and_then(|m| jiff::Timestamp::from_microsecond(m).ok())
                            .map(Cell::Instant)
                            .ok_or_else(|| {
                                not_a_date(&rows.columns[i], rows.rows.len() + 1, shown)
                            })?,
                    ),
                },
                Kind::Day => match row.try_get::<_, Option<Days>>(i).map_err(bad)? {
                    None => None,
                    Some(Days(days)) => Some(
                        jiff::Span::new()
                            .try_days(i64::from(days))
                            .ok()
                            .and_then(|span| jiff::civil::date(2000, 1, 1).checked_add(span).ok())
                            .map(Cell::Day)
                            .ok_or_else(|| {
                                not_a_date(&rows.columns[i], rows.rows.len() + 1, shown)
                            })?,
                    ),
                },
            };
            cells.push(cell.unwrap_or(Cell::Null));
        }
        rows.rows.push(cells);
    }
    // Nothing was changed, and nothing is kept.
    transaction.rollback().map_err(fail)?;
    Ok(rows)
}

/// `infinity`, or a date outside the years blog reads.
fn not_a_date(column: &str, row: usize, shown: &str) -> Diagnostic {
    Diagnostic::new(
        shown,
        format!("the query's column `{column}` in row {row} is not a date blog can write (infinity, or a year past 9999)"),
    )
    .hint("leave such rows out, or give them a real date (COALESCE, CASE)")
}

/// The error of a server that cannot be reached or refuses the login.
fn cannot_connect(e: &postgres::Error, url: &str, shown: &str) -> Diagnostic {
    let (why, hint) = match e.as_db_error() {
        Some(db) => {
            let code = db.code();
            let hint = if *code == SqlState::INVALID_PASSWORD
                || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
            {
                "check the user and password in the URL"
            } else if *code == SqlState::INVALID_CATALOG_NAME {
                "check the database's name, after the host in the URL"
            } else {
                "check the URL's user, password and database"
            };
            (db.message().to_string(), hint)
        }
        None => (
            chain(e),
            "check that the server is running and listening at the URL's host and port (blog connects without TLS: sslmode=disable or prefer)",
        ),
    };
    Diagnostic::new(
        shown,
        format!("cannot connect to PostgreSQL: {}", hide_password(&why, url)),
    )
    .hint(hint)
}

/// The database's error about the query, in the terms of the import.
fn failure(e: &postgres::Error, url: &str, query: &str, shown: &str) -> Diagnostic {
    let Some(db) = e.as_db_error() else {
        return Diagnostic::new(
            shown,
            format!("the connection failed: {}", hide_password(&chain(e), url)),
        )
        .hint("check that the server is still running, and import again");
    };
    if *db.code() == SqlState::READ_ONLY_SQL_TRANSACTION {
        return writes_error(shown, query, db.message());
    }
    let offset = match db.position() {
        Some(ErrorPosition::Original(at)) => usize::try_from(*at)
            .ok()
            .and_then(|at| at.checked_sub(1))
            .and_then(|chars| query.char_indices().nth(chars).map(|(o, _)| o)),
        _ => None,
    };
    let mut message = db.message().to_string();
    if let Some(hint) = db.hint() {
        message.push_str(&format!(" ({hint})"));
    }
    query_error(shown, query, &message, offset)
}

/// An error and its causes, on one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text.push_str(&format!(": {more}"));
        }
        source = cause.source();
    }
    text
}
