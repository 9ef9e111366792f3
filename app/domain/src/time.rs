//! Calendar dates from Unix time, in integer arithmetic (no float or date library code in the
//! browser bundle): the portal shows times with it and webhooks stamp their events with it.

/// The (year, month, day) of `days` since 1970-01-01 in the proleptic Gregorian calendar
/// (Howard Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Days since 1970-01-01 of a (year, month, day) in the proleptic Gregorian calendar (Howard
/// Hinnant's `days_from_civil`, the inverse of [`civil_from_days`]).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Milliseconds since 1970 at 00:00 UTC of a `YYYY-MM-DD` date (as a date input sends it), for
/// years 1970 to 9999; None for anything else or a day the month does not have.
pub fn parse_date_ms(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    let bytes = raw.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = raw.get(range)?;
        part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse().ok())?
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    if year < 1970 || !(1..=12).contains(&month) || day < 1 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    // A day past the month's end would roll into the next month.
    (civil_from_days(days) == (year, month, day)).then_some(days * 86_400_000)
}

/// Milliseconds since 1970 at the start (00:00 UTC on the 1st) of the calendar month of `ms`.
pub fn month_start_ms(ms: i64) -> i64 {
    const DAY_MS: i64 = 86_400_000;
    let days = ms.div_euclid(DAY_MS);
    let (_, _, day) = civil_from_days(days);
    (days - (day - 1)) * DAY_MS
}

/// `2026-12-02T18:01:00.123Z` from milliseconds since 1970 (UTC, proleptic Gregorian).
pub fn iso_time(ms: i64) -> String {
    let (days, rest) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let (year, month, day) = civil_from_days(days);
    let (hours, minutes, seconds, millis) = (rest / 3_600_000, rest / 60_000 % 60, rest / 1_000 % 60, rest % 1_000);
    format!("{year:04}-{month:02}-{day:02}T{hours:02}:{minutes:02}:{seconds:02}.{millis:03}Z")
}

/// Milliseconds since 1970 from an RFC 3339 UTC time as [`iso_time`] writes it, with or
/// without seconds and fraction (`2026-12-02T18:01Z`, `2026-12-02T18:01:05.123Z`), or a bare
/// date (its midnight). None for anything else, other offsets included.
pub fn parse_iso_ms(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    let Some((date, rest)) = raw.split_once('T') else {
        return parse_date_ms(raw);
    };
    let day = parse_date_ms(date)?;
    let clock = rest.strip_suffix('Z')?;
    let (clock, millis) = match clock.split_once('.') {
        Some((clock, fraction))
            if (1..=3).contains(&fraction.len()) && fraction.bytes().all(|b| b.is_ascii_digit()) =>
        {
            (clock, format!("{fraction:0<3}").parse::<i64>().ok()?)
        }
        Some(_) => return None,
        None => (clock, 0),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts.iter().any(|part| part.len() != 2 || !part.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let number = |index: usize| parts.get(index).map_or(Some(0), |part| part.parse::<i64>().ok());
    let (hours, minutes, seconds) = (number(0)?, number(1)?, number(2)?);
    (hours < 24 && minutes < 60 && seconds < 60)
        .then(|| day + hours * 3_600_000 + minutes * 60_000 + seconds * 1_000 + millis)
}

/// `2026-12-02 18:01`: a UTC moment to the minute, as the pages write it.
pub fn utc_minute(ms: i64) -> String {
    iso_time(ms)[..16].replace('T', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_times_read_back_what_they_write() {
        for ms in [0, 1_764_698_465_123, 1_764_698_460_000] {
            assert_eq!(parse_iso_ms(&iso_time(ms)), Some(ms));
        }
        assert_eq!(parse_iso_ms("2026-12-02T18:01Z"), parse_iso_ms("2026-12-02T18:01:00.000Z"));
        assert_eq!(parse_iso_ms("2026-12-02"), parse_date_ms("2026-12-02"));
        for bad in ["2026-12-02T18:01", "2026-12-02T24:00Z", "2026-12-02T18:01+01:00", "2026-12-02T1:01Z", "x", ""] {
            assert_eq!(parse_iso_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_parse_to_their_midnight_and_back() {
        assert_eq!(parse_date_ms("1970-01-01"), Some(0));
        assert_eq!(parse_date_ms("2026-12-06"), Some(days_from_civil(2026, 12, 6) * 86_400_000));
        assert_eq!(iso_time(parse_date_ms("2024-02-29").unwrap()), "2024-02-29T00:00:00.000Z");
        for bad in ["2025-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "1969-12-31", "2026-12-6x", "", "+026-12-06"]
        {
            assert_eq!(parse_date_ms(bad), None, "{bad}");
        }
        for days in [0, 1, 59, 365, 10_957, 20_793, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn days_become_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn a_month_starts_on_the_first_at_midnight_utc() {
        // 2026-12-04T20:51:54Z and 2000-02-29T23:59:59.999Z.
        assert_eq!(month_start_ms(1_796_417_514_000), 1_796_083_200_000);
        assert_eq!(month_start_ms(951_868_799_999), 949_363_200_000);
        assert_eq!(month_start_ms(1_796_083_200_000), 1_796_083_200_000, "the first instant is its own start");
        assert_eq!(month_start_ms(0), 0);
    }
}
