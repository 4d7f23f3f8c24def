//! The looser date forms other generators accept, read after the strict
//! RFC 3339 and RFC 2822 readers have said no. Jekyll's YAML and Ruby's
//! `Time.parse` take one-digit fields and offsets (`2021-3-1 9:05`,
//! `2021-03-31T00:00:00-5:00`, `-5`), a space before the offset, and a
//! stray dash before the `T` (`2021-03-01-T22:10:09-05:00`); Hugo reads
//! Go's layouts (spf13/cast's list: RFC 1123, RFC 822, RFC 850, ANSIC,
//! Unix and Ruby dates, `2006-01-02T15:04:05-0700`,
//! `2006-01-02 15:04:05 -07:00 MST`, `02 Jan 2006`), and authors write
//! `2 Jan 2006` and `January 2, 2006`. Takes the trimmed text; returns the
//! civil date and time with the offset written, if any.

use jiff::civil::{Date as CivilDate, DateTime, Weekday};
use jiff::tz::Offset;

/// Why a text is not a date this reader accepts.
#[derive(Debug, PartialEq, Eq)]
pub enum Problem {
    /// Not one of the forms at all.
    NotADate,
    /// A zone name with no offset beside it, other than the unambiguous ones.
    ZoneName,
    /// A date in a known form with an impossible value: the message says which.
    Invalid(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Number(&'a str),
    Word(&'a str),
    Symbol(char),
    Space,
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let run = |pred: fn(char) -> bool| rest.find(|c: char| !pred(c)).unwrap_or(rest.len());
        let (token, len) = if c.is_ascii_digit() {
            let len = run(|c| c.is_ascii_digit());
            (Token::Number(&rest[..len]), len)
        } else if c.is_ascii_alphabetic() {
            let len = run(|c| c.is_ascii_alphabetic());
            (Token::Word(&rest[..len]), len)
        } else if c.is_whitespace() || c == '_' {
            // `_2` is Go's space-padded day.
            (Token::Space, run(|c| c.is_whitespace() || c == '_'))
        } else {
            (Token::Symbol(c), c.len_utf8())
        };
        out.push(token);
        rest = &rest[len..];
    }
    out
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Monday),
    ("tuesday", Weekday::Tuesday),
    ("wednesday", Weekday::Wednesday),
    ("thursday", Weekday::Thursday),
    ("friday", Weekday::Friday),
    ("saturday", Weekday::Saturday),
    ("sunday", Weekday::Sunday),
];

/// `jan`, `Sept`, `December` → 1, 9, 12: the full name or its first three
/// letters (four for `sept`).
fn month(word: &str) -> Option<i8> {
    let w = word.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| {
            *m == w || (w.len() >= 3 && m.starts_with(&w) && (w.len() == 3 || w == "sept"))
        })
        .and_then(|i| i8::try_from(i + 1).ok())
}

fn weekday(word: &str) -> Option<Weekday> {
    let w = word.to_ascii_lowercase();
    WEEKDAYS
        .iter()
        .find(|(name, _)| *name == w || (w.len() == 3 && name.starts_with(&w)))
        .map(|(_, day)| *day)
}

/// Zone names that say one offset: UTC, and the North American ones RFC 2822
/// defines. Others (`CET`, `IST`) mean different offsets in different places.
fn named_offset(word: &str) -> Option<i32> {
    let hours = match word.to_ascii_uppercase().as_str() {
        "Z" | "UT" | "UTC" | "GMT" => 0,
        "EDT" => -4,
        "EST" | "CDT" => -5,
        "CST" | "MDT" => -6,
        "MST" | "PDT" => -7,
        "PST" => -8,
        _ => return None,
    };
    Some(hours * 3600)
}

/// Hour, minute, second and nanosecond.
type Clock = (i8, i8, i8, i32);

/// What the scan has found so far.
#[derive(Default)]
struct Found<'a> {
    year: Option<i16>,
    month: Option<i8>,
    day: Option<i8>,
    /// Plain numbers of a textual date, in order: the day, then the year.
    numbers: Vec<&'a str>,
    time: Option<Clock>,
    pm: Option<bool>,
    offset: Option<i32>,
    zone_name: bool,
    weekday: Option<Weekday>,
}

pub fn parse(text: &str) -> Result<(DateTime, Option<Offset>), Problem> {
    let tokens = tokens(text);
    let mut found = Found::default();
    let mut rest = &tokens[..];
    // `2021-03-01`, `2021-3-1`, `2021/03/01`.
    if let [Token::Number(y), Token::Symbol(s1 @ ('-' | '/')), Token::Number(m), Token::Symbol(s2), Token::Number(d), after @ ..] =
        rest
    {
        if y.len() != 4 || s1 != s2 || m.len() > 2 || d.len() > 2 {
            return Err(Problem::NotADate);
        }
        found.year = y.parse().ok();
        found.month = m.parse().ok();
        found.day = d.parse().ok();
        rest = after;
    }
    while let Some((&token, after)) = rest.split_first() {
        rest = after;
        match token {
            Token::Space | Token::Symbol(',' | '.' | '(' | ')') => {}
            Token::Number(n) if matches!(rest.first(), Some(Token::Symbol(':'))) => {
                if found.time.is_some() {
                    return Err(Problem::NotADate);
                }
                let (time, after) = clock(n, rest)?;
                found.time = Some(time);
                rest = after;
            }
            Token::Number(n) => {
                if found.year.is_some() && found.day.is_some() {
                    return Err(Problem::NotADate);
                }
                found.numbers.push(n);
                // `1st`, `22nd`.
                if let Some(Token::Word(w)) = rest.first() {
                    if matches!(w.to_ascii_lowercase().as_str(), "st" | "nd" | "rd" | "th") {
                        rest = &rest[1..];
                    }
                }
            }
            Token::Symbol(sign @ ('+' | '-')) if found.time.is_some() => {
                let (offset, after) = numeric_offset(sign, rest)?;
                found.offset = Some(offset);
                rest = after;
            }
            // Between the parts of `02-Jan-06`, and before Jekyll's `-T`.
            Token::Symbol('-') => {}
            Token::Word(w) => {
                let lower = w.to_ascii_lowercase();
                if lower == "at" || (lower == "t" && matches!(rest.first(), Some(Token::Number(_))))
                {
                    continue;
                }
                if let (Some(m), None) = (month(w), found.month) {
                    found.month = Some(m);
                } else if let (Some(d), None) = (weekday(w), found.weekday) {
                    found.weekday = Some(d);
                } else if matches!(lower.as_str(), "am" | "pm") && found.time.is_some() {
                    found.pm = Some(lower == "pm");
                } else if let Some(offset) = named_offset(w) {
                    // `UTC+05:00`, `GMT-5`.
                    if let [Token::Symbol(sign @ ('+' | '-')), after @ ..] = rest {
                        let (extra, after) = numeric_offset(*sign, after)?;
                        found.offset.get_or_insert(offset + extra);
                        rest = after;
                    } else {
                        found.offset.get_or_insert(offset);
                    }
                } else if found.time.is_some()
                    && w.len() <= 5
                    && w.chars().all(|c| c.is_ascii_uppercase())
                {
                    found.zone_name = true;
                } else {
                    return Err(Problem::NotADate);
                }
            }
            Token::Symbol(_) => return Err(Problem::NotADate),
        }
    }
    finish(found)
}

/// `H:MM`, `H:MM:SS` and `H:MM:SS.fraction`, starting at the hour `first`
/// with `rest` at the first colon.
fn clock<'t>(first: &str, rest: &'t [Token<'t>]) -> Result<(Clock, &'t [Token<'t>]), Problem> {
    let two = |n: &str| (n.len() == 2).then(|| n.parse::<i8>().ok()).flatten();
    let hour: i8 = (first.len() <= 2)
        .then(|| first.parse().ok())
        .flatten()
        .ok_or(Problem::NotADate)?;
    let [Token::Symbol(':'), Token::Number(m), rest @ ..] = rest else {
        return Err(Problem::NotADate);
    };
    let minute = two(m).ok_or(Problem::NotADate)?;
    let (second, rest) = match rest {
        [Token::Symbol(':'), Token::Number(s), rest @ ..] => {
            (two(s).ok_or(Problem::NotADate)?, rest)
        }
        _ => (0, rest),
    };
    let (nanos, rest) = match rest {
        [Token::Symbol('.' | ','), Token::Number(f), rest @ ..] => {
            let digits: String = f.chars().chain(std::iter::repeat('0')).take(9).collect();
            (digits.parse().map_err(|_| Problem::NotADate)?, rest)
        }
        _ => (0, rest),
    };
    Ok(((hour, minute, second, nanos), rest))
}

/// `-5`, `+05`, `-0500`, `-5:00`, `+05:30` after the sign; seconds east.
fn numeric_offset<'t>(
    sign: char,
    rest: &'t [Token<'t>],
) -> Result<(i32, &'t [Token<'t>]), Problem> {
    let number = |n: &str| n.parse::<i32>().map_err(|_| Problem::NotADate);
    let (hours, minutes, rest) = match rest {
        [Token::Number(h), Token::Symbol(':'), Token::Number(m), rest @ ..]
            if h.len() <= 2 && m.len() == 2 =>
        {
            (number(h)?, number(m)?, rest)
        }
        [Token::Number(n), rest @ ..] if n.len() <= 2 => (number(n)?, 0, rest),
        [Token::Number(n), rest @ ..] if n.len() <= 4 => {
            let (h, m) = n.split_at(n.len() - 2);
            (number(h)?, number(m)?, rest)
        }
        _ => return Err(Problem::NotADate),
    };
    if hours > 23 || minutes > 59 {
        return Err(Problem::Invalid(format!(
            "the offset {sign}{hours:02}:{minutes:02} is not a time zone offset"
        )));
    }
    let seconds = hours * 3600 + minutes * 60;
    Ok((if sign == '-' { -seconds } else { seconds }, rest))
}

fn finish(found: Found) -> Result<(DateTime, Option<Offset>), Problem> {
    let (year, month, day) = match (found.year, found.month, found.day) {
        (Some(y), Some(m), Some(d)) => (y, m, d),
        (None, Some(m), None) => {
            let (day, year) = textual_day_and_year(&found.numbers)?;
            (year, m, day)
        }
        _ => return Err(Problem::NotADate),
    };
    if found.offset.is_none() && found.zone_name {
        return Err(Problem::ZoneName);
    }
    let date = CivilDate::new(year, month, day).map_err(|_| {
        Problem::Invalid(format!(
            "{year:04}-{month:02}-{day:02} is not a day of the calendar"
        ))
    })?;
    if let Some(named) = found.weekday {
        if named != date.weekday() {
            return Err(Problem::Invalid(format!(
                "{year:04}-{month:02}-{day:02} is a {:?}, not a {named:?}",
                date.weekday()
            )));
        }
    }
    let (mut hour, minute, second, nanos) = found.time.unwrap_or((0, 0, 0, 0));
    if let Some(pm) = found.pm {
        if !(1..=12).contains(&hour) {
            return Err(Problem::Invalid(format!(
                "{hour} is not an hour of a 12-hour clock"
            )));
        }
        hour = hour % 12 + if pm { 12 } else { 0 };
    }
    let datetime = DateTime::new(year, month, day, hour, minute, second, nanos).map_err(|_| {
        Problem::Invalid(format!(
            "{hour:02}:{minute:02}:{second:02} is not a time of day"
        ))
    })?;
    let offset = match found.offset {
        Some(seconds) => Some(Offset::from_seconds(seconds).map_err(|_| Problem::NotADate)?),
        None => None,
    };
    Ok((datetime, offset))
}

/// The day and year of `2 Jan 2006`, `January 2, 2006`, `02 Jan 06`: the
/// four-digit number is the year; otherwise the day comes first. Two-digit
/// years are 1969 to 2068, as Go and Ruby read them.
fn textual_day_and_year(numbers: &[&str]) -> Result<(i8, i16), Problem> {
    let [a, b] = numbers else {
        return Err(Problem::NotADate);
    };
    let (day, year) = if a.len() == 4 && b.len() <= 2 {
        (b, a)
    } else {
        (a, b)
    };
    if day.len() > 2 || !matches!(year.len(), 2 | 4) {
        return Err(Problem::NotADate);
    }
    let day: i8 = day.parse().map_err(|_| Problem::NotADate)?;
    let mut year: i16 = year.parse().map_err(|_| Problem::NotADate)?;
    if year < 100 {
        year += if year >= 69 { 1900 } else { 2000 };
    }
    Ok((day, year))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> String {
        match parse(text) {
            Ok((dt, offset)) => {
                let offset = offset.map_or("none".to_string(), |o| o.to_string());
                format!("{} {offset}", dt.strftime("%Y-%m-%dT%H:%M:%S%.f"))
            }
            Err(e) => format!("{e:?}"),
        }
    }

    #[test]
    fn reads_jekyll_ruby_and_go_forms() {
        for (input, expected) in [
            // Jekyll and Ruby.
            ("2021-03-31T00:00:00-5:00", "2021-03-31T00:00:00 -05"),
            ("2021-03-01 22:10:09 -0500", "2021-03-01T22:10:09 -05"),
            ("2021-03-01-T22:10:09-05:00", "2021-03-01T22:10:09 -05"),
            ("2001-12-14 21:59:43.10 -5", "2001-12-14T21:59:43.1 -05"),
            ("2021-3-1 9:05", "2021-03-01T09:05:00 none"),
            ("2021/03/01 10:00 PM", "2021-03-01T22:00:00 none"),
            // Go's layouts, as Hugo reads them.
            ("2006-01-02T15:04:05-0700", "2006-01-02T15:04:05 -07"),
            ("2006-01-02 15:04:05 -07:00 MST", "2006-01-02T15:04:05 -07"),
            (
                "2006-01-02 15:04:05.999999999 -0700 MST",
                "2006-01-02T15:04:05.999999999 -07",
            ),
            ("2006-01-02 15:04:05Z", "2006-01-02T15:04:05 +00"),
            ("Mon, 02 Jan 2006 15:04:05 MST", "2006-01-02T15:04:05 -07"),
            ("Mon, 02 Jan 2006 15:04:05 -0700", "2006-01-02T15:04:05 -07"),
            ("02 Jan 06 15:04 -0700", "2006-01-02T15:04:00 -07"),
            ("Monday, 02-Jan-06 15:04:05 PST", "2006-01-02T15:04:05 -08"),
            ("Mon Jan  2 15:04:05 2006", "2006-01-02T15:04:05 none"),
            ("Mon Jan _2 15:04:05 UTC 2006", "2006-01-02T15:04:05 +00"),
            ("Mon Jan 02 15:04:05 -0700 2006", "2006-01-02T15:04:05 -07"),
            ("02 Jan 2006", "2006-01-02T00:00:00 none"),
            // As people write them.
            ("2 Jan 2006", "2006-01-02T00:00:00 none"),
            ("January 2, 2006", "2006-01-02T00:00:00 none"),
            ("Sept 3rd, 2019 at 9:30 am", "2019-09-03T09:30:00 none"),
            ("March 1, 2021 12:15 GMT+01:00", "2021-03-01T12:15:00 +01"),
        ] {
            assert_eq!(read(input), expected, "{input}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_date_and_says_why_when_it_nearly_is() {
        for (input, expected) in [
            ("yesterday", "NotADate"),
            ("01/02/2024", "NotADate"),
            ("3:04PM", "NotADate"),
            ("Jan 2006", "NotADate"),
            ("2024-03-01 09:30:00 CET", "ZoneName"),
            (
                "2024-03-01 09:30 +2500",
                "Invalid(\"the offset +25:00 is not a time zone offset\")",
            ),
            (
                "February 30, 2024",
                "Invalid(\"2024-02-30 is not a day of the calendar\")",
            ),
            (
                "Sat, 01 Mar 2024",
                "Invalid(\"2024-03-01 is a Friday, not a Saturday\")",
            ),
            (
                "2024-03-01 13:00 pm",
                "Invalid(\"13 is not an hour of a 12-hour clock\")",
            ),
            (
                "2024-03-01 24:30",
                "Invalid(\"24:30:00 is not a time of day\")",
            ),
            ("2024-03-01 10:00 10:00", "NotADate"),
            ("2024-03-01 7", "NotADate"),
        ] {
            assert_eq!(read(input), expected, "{input}");
        }
    }
}
