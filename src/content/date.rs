//! Dates as authors write them: `2024-03-01`, `2024-03-01T09:30:00`,
//! `2024-03-01 09:30`, with or without `Z` or an offset like `+02:00`, from
//! YAML strings, TOML datetimes, or a `YYYY-MM-DD-` file-name prefix; and
//! as other generators' posts have them: Jekyll's `2024-03-01 09:30:00 +0100`
//! (a space before the offset) and the RFC 2822 dates of feeds, which Hugo
//! accepts (`Fri, 01 Mar 2024 09:30:00 +0100`). The looser forms of Jekyll's
//! YAML, Ruby's `Time.parse` and Go's layouts are read by `forms`, after
//! these; `FORMS` lists what an author may write, for error hints.

use std::fmt;

use jiff::civil::{Date as CivilDate, DateTime, Time};
use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::tz::Offset;
use jiff::Timestamp;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Serialize, Serializer};

mod forms;

/// The forms a date may take, for the hint of an error about one.
pub const FORMS: &str = "write the date like 2024-03-01, 2024-03-01T09:30:00+02:00, \
     2024-03-01 09:30:00 -0500, Fri, 01 Mar 2024 09:30:00 +0200, 1 Mar 2024 or March 1, 2024";

/// Starts the message of every date that cannot be read, so that the
/// front matter's error can give `FORMS` as its hint.
pub const NOT_A_DATE: &str = "is not a date";

/// A date with an optional UTC offset. One without an offset is taken as UTC
/// wherever an instant is needed (sorting, feeds), and shown as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub datetime: DateTime,
    pub offset: Option<Offset>,
    /// The instant, computed once: lists sort by it constantly.
    instant: Timestamp,
}

impl Date {
    pub fn new(datetime: DateTime, offset: Option<Offset>) -> Date {
        let instant = offset
            .unwrap_or(Offset::UTC)
            .to_timestamp(datetime)
            .unwrap_or(Timestamp::UNIX_EPOCH);
        Date {
            datetime,
            offset,
            instant,
        }
    }

    pub fn parse(text: &str) -> Result<Date, String> {
        let text = text.trim();
        let first = Date::parse_temporal(text);
        if first.is_ok() {
            return first;
        }
        if let Some(joined) = join_spaced_offset(text) {
            if let Ok(date) = Date::parse_temporal(&joined) {
                return Ok(date);
            }
        }
        if let Ok(zoned) = jiff::fmt::rfc2822::parse(text) {
            return Ok(Date::new(zoned.datetime(), Some(zoned.offset())));
        }
        match forms::parse(text) {
            Ok((datetime, offset)) => Ok(Date::new(datetime, offset)),
            Err(forms::Problem::ZoneName) => Err(format!(
                "`{text}` {NOT_A_DATE}: it has a time zone name, and names like CET mean \
                 different offsets in different places; use an offset like +02:00"
            )),
            Err(forms::Problem::Invalid(why)) => Err(format!("`{text}` {NOT_A_DATE}: {why}")),
            Err(forms::Problem::NotADate) => first,
        }
    }

    /// RFC 3339 and its relatives (RFC 9557, ISO 8601), as jiff reads them.
    fn parse_temporal(text: &str) -> Result<Date, String> {
        let pieces = Pieces::parse(text).map_err(|_| format!("`{text}` {NOT_A_DATE}"))?;
        if pieces.time_zone_annotation().is_some() {
            return Err(format!(
                "`{text}` {NOT_A_DATE}: it has a time zone name; use an offset like +02:00"
            ));
        }
        let date: CivilDate = pieces.date();
        let time: Time = pieces.time().unwrap_or(Time::midnight());
        let offset = match pieces.offset() {
            None => None,
            Some(PiecesOffset::Zulu) => Some(Offset::UTC),
            Some(PiecesOffset::Numeric(n)) => Some(n.offset()),
            Some(_) => Some(Offset::UTC),
        };
        Ok(Date::new(date.to_datetime(time), offset))
    }

    /// A `YYYY-MM-DD-` prefix of a file name (the Jekyll convention).
    pub fn from_file_stem(stem: &str) -> Option<(Date, &str)> {
        let (prefix, rest) = (stem.get(..10)?, stem.get(10..)?);
        // Jekyll's `-`, and Zola's `_` too.
        let rest = rest
            .strip_prefix(['-', '_'])
            .or_else(|| rest.is_empty().then_some(rest))?;
        let bytes = prefix.as_bytes();
        if bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let date: CivilDate = prefix.parse().ok()?;
        Some((Date::new(date.to_datetime(Time::midnight()), None), rest))
    }

    /// The date of a file name, and whether the name marks a draft: the
    /// `YYYY-MM-DD-` prefix, after a `DRAFT-` one (any case) for a draft
    /// kept with its date, as some Jekyll sites name them. Returns the rest
    /// of the name too, for the slug.
    pub fn from_file_name(stem: &str) -> Option<(Date, bool, &str)> {
        let draft = stem
            .get(..6)
            .filter(|p| p.eq_ignore_ascii_case("draft-"))
            .and_then(|_| Date::from_file_stem(&stem[6..]));
        match draft {
            Some((date, rest)) => Some((date, true, rest)),
            None => Date::from_file_stem(stem).map(|(date, rest)| (date, false, rest)),
        }
    }

    /// This date in `zone`: one with an offset is the same instant there,
    /// one without is read as that time in the zone.
    pub fn in_zone(&self, zone: &jiff::tz::TimeZone) -> Date {
        let instant = match self.offset {
            Some(_) => self.instant,
            None => match zone.to_ambiguous_timestamp(self.datetime).compatible() {
                Ok(ts) => ts,
                Err(_) => return *self,
            },
        };
        let offset = zone.to_offset(instant);
        Date::new(offset.to_datetime(instant), Some(offset))
    }

    pub fn timestamp(&self) -> Timestamp {
        self.instant
    }

    pub fn year(&self) -> i16 {
        self.datetime.year()
    }

    /// RFC 3339, with `Z` for dates written without an offset.
    ///
    /// Every list a page is in serialises its date, so this writes the
    /// digits itself: through `strftime` and `format!` it cost 2,100
    /// instructions a date, 1.5% of a cold build's.
    pub fn to_rfc3339(&self) -> String {
        let offset = self.offset.unwrap_or(Offset::UTC);
        let d = self.datetime;
        let mut out = String::with_capacity(25);
        match u16::try_from(d.year()) {
            Ok(year) => push_digits(&mut out, year, 4),
            // Before year 0: jiff's own sign and padding.
            Err(_) => out.push_str(&d.strftime("%Y").to_string()),
        }
        for (separator, value) in [
            ('-', d.month()),
            ('-', d.day()),
            ('T', d.hour()),
            (':', d.minute()),
            (':', d.second()),
        ] {
            out.push(separator);
            push_digits(&mut out, value.unsigned_abs().into(), 2);
        }
        if offset == Offset::UTC {
            out.push('Z');
        } else {
            out.push_str(&offset_text(offset));
        }
        out
    }

    /// `to_rfc3339` as `strftime` writes it, which it must agree with.
    #[cfg(test)]
    fn rfc3339_by_strftime(&self) -> String {
        let offset = self.offset.unwrap_or(Offset::UTC);
        let dt = self.datetime.strftime("%Y-%m-%dT%H:%M:%S");
        if offset == Offset::UTC {
            format!("{dt}Z")
        } else {
            format!("{dt}{}", offset_text(offset))
        }
    }

    /// RFC 2822, as RSS 2.0 wants.
    pub fn to_rfc2822(&self) -> String {
        let offset = self.offset.unwrap_or(Offset::UTC);
        let mut tm = jiff::fmt::strtime::BrokenDownTime::from(self.datetime);
        tm.set_offset(Some(offset));
        let mut out = String::new();
        match tm.format("%a, %-d %b %Y %H:%M:%S %z", &mut out) {
            Ok(()) => out,
            Err(_) => self.to_rfc3339(),
        }
    }

    /// strftime-style formatting for templates (`%Y-%m-%d`, `%B %e, %Y`, …).
    pub fn format(&self, pattern: &str) -> Result<String, String> {
        let mut tm = jiff::fmt::strtime::BrokenDownTime::from(self.datetime);
        tm.set_offset(self.offset);
        let mut out = String::new();
        tm.format(pattern, &mut out)
            .map_err(|e| format!("bad date format `{pattern}`: {e}"))?;
        Ok(out)
    }
}

/// `2024-03-01 09:30:00 +0100` (Jekyll's form) as `2024-03-01 09:30:00+0100`;
/// a trailing ` UTC`, ` GMT` or ` Z` becomes `Z`. `None` when the text does
/// not end in a spaced offset.
fn join_spaced_offset(text: &str) -> Option<String> {
    let (head, tail) = text.rsplit_once(' ')?;
    let head = head.trim_end();
    if matches!(tail, "UTC" | "GMT" | "Z") {
        return Some(format!("{head}Z"));
    }
    let digits = tail.strip_prefix(['+', '-'])?;
    let numeric = match digits.len() {
        4 => digits.bytes().all(|b| b.is_ascii_digit()),
        5 => digits.as_bytes()[2] == b':' && digits.bytes().filter(u8::is_ascii_digit).count() == 4,
        _ => false,
    };
    numeric.then(|| format!("{head}{tail}"))
}

/// `value` in decimal, zero-padded to `width` digits (`value` has no more).
fn push_digits(out: &mut String, value: u16, width: u32) {
    debug_assert!(u32::from(value) < 10u32.pow(width));
    for place in (0..width).rev() {
        let digit = (value / 10u16.pow(place)) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

fn offset_text(offset: Offset) -> String {
    let seconds = offset.seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_rfc3339())
    }
}

/// Accepts a string (YAML, or a quoted TOML value) or a TOML datetime, which
/// toml hands over as a one-entry map.
impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl<'de> Visitor<'de> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date like 2024-03-01 or 2024-03-01T09:30:00+02:00")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).map_err(E::custom)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
                let entry: Option<(String, String)> = map.next_entry()?;
                match entry {
                    Some((_, text)) => self.visit_str(&text),
                    None => Err(de::Error::custom("expected a date")),
                }
            }
        }
        deserializer.deserialize_any(DateVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_digits_agree_with_strftime() {
        let mut checked = 0;
        for year in [-9999, -1, 0, 1, 9, 10, 99, 100, 999, 1000, 1969, 2024, 9999] {
            for (month, day) in [(1, 1), (2, 29), (9, 9), (10, 10), (12, 31)] {
                let Ok(date) = CivilDate::new(year, month, day) else {
                    continue;
                };
                for (hour, minute, second) in [(0, 0, 0), (9, 5, 7), (23, 59, 59), (10, 10, 10)] {
                    let time = Time::new(hour, minute, second, 123_456_789).expect("time");
                    for offset in [None, Some(0), Some(3600 * 2), Some(-(5 * 3600 + 1800))] {
                        let offset = offset.map(|s| Offset::from_seconds(s).expect("offset"));
                        let d = Date::new(date.to_datetime(time), offset);
                        assert_eq!(d.to_rfc3339(), d.rfc3339_by_strftime(), "{d:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 864, "dates checked");
        let d = Date::parse("2024-03-01T09:30:00.5-05:30").expect("date");
        assert_eq!(d.to_rfc3339(), "2024-03-01T09:30:00-05:30");
    }

    #[test]
    fn parses_the_common_forms() {
        for (input, expected) in [
            ("2024-03-01", "2024-03-01T00:00:00Z"),
            ("2024-03-01T09:30:00", "2024-03-01T09:30:00Z"),
            ("2024-03-01 09:30", "2024-03-01T09:30:00Z"),
            ("2024-03-01T09:30:00Z", "2024-03-01T09:30:00Z"),
            ("2024-03-01T09:30:00+02:00", "2024-03-01T09:30:00+02:00"),
            ("2024-03-01T09:30:00.5-05:30", "2024-03-01T09:30:00-05:30"),
            // Jekyll's form, and its relatives.
            ("2024-03-01 09:30:00 +0100", "2024-03-01T09:30:00+01:00"),
            ("2024-03-01 09:30:00 -05:00", "2024-03-01T09:30:00-05:00"),
            ("2024-03-01 09:30 UTC", "2024-03-01T09:30:00Z"),
            ("2024-03-01 09:30:00 GMT", "2024-03-01T09:30:00Z"),
            ("2024-03-01 09:30:00 +01", "2024-03-01T09:30:00+01:00"),
            // Jekyll's YAML and Ruby, Go's layouts (more in `forms`).
            ("2021-03-31T00:00:00-5:00", "2021-03-31T00:00:00-05:00"),
            ("2021-03-01-T22:10:09-05:00", "2021-03-01T22:10:09-05:00"),
            (
                "2006-01-02 15:04:05 -07:00 MST",
                "2006-01-02T15:04:05-07:00",
            ),
            ("January 2, 2006", "2006-01-02T00:00:00Z"),
            // RFC 2822, as feeds and Hugo write it.
            (
                "Fri, 01 Mar 2024 09:30:00 +0200",
                "2024-03-01T09:30:00+02:00",
            ),
            ("1 Mar 2024 09:30:00 GMT", "2024-03-01T09:30:00Z"),
        ] {
            let date = Date::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(date.to_rfc3339(), expected, "{input}");
        }
    }

    #[test]
    fn rejects_words_and_impossible_dates() {
        for bad in [
            "yesterday",
            "2024-13-01",
            "2024-02-30",
            "",
            "01/02/2024",
            "2024-03-01 09:30:00 CET",
            "2024-03-01 25:30:00 +0100",
            "Sat, 01 Mar 2024 09:30:00 +0200",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad} should fail");
        }
    }

    #[test]
    fn offsets_order_by_instant() {
        let a = Date::parse("2024-03-01T10:00:00+02:00").expect("valid");
        let b = Date::parse("2024-03-01T09:00:00Z").expect("valid");
        assert!(a.timestamp() < b.timestamp());
    }

    #[test]
    fn file_name_prefix() {
        let (date, rest) = Date::from_file_stem("2023-07-04-hello-world").expect("prefix");
        assert_eq!(date.to_rfc3339(), "2023-07-04T00:00:00Z");
        assert_eq!(rest, "hello-world");
        assert!(Date::from_file_stem("hello-world").is_none());
        assert!(Date::from_file_stem("2023-99-04-x").is_none());
    }

    #[test]
    fn a_draft_file_name_keeps_its_date() {
        let (date, draft, rest) = Date::from_file_name("DRAFT-2021-03-01-name").expect("prefix");
        assert_eq!(
            (date.to_rfc3339().as_str(), draft, rest),
            ("2021-03-01T00:00:00Z", true, "name")
        );
        let (_, draft, rest) = Date::from_file_name("2021-03-01-name").expect("prefix");
        assert_eq!((draft, rest), (false, "name"));
        assert!(Date::from_file_name("DRAFT-notes").is_none());
        assert!(Date::from_file_name("draft-2021-13-01-x").is_none());
    }

    #[test]
    fn formats_for_templates_and_feeds() {
        let d = Date::parse("2024-03-01T09:30:00+02:00").expect("valid");
        assert_eq!(d.format("%d %B %Y").expect("format"), "01 March 2024");
        assert_eq!(d.to_rfc2822(), "Fri, 1 Mar 2024 09:30:00 +0200");
    }
}
