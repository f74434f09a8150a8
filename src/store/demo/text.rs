//! The demo's words, names, dates and its random numbers: the same for the
//! same seed everywhere.

/// splitmix64: small, fast and the same everywhere.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub(super) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
    pub(super) fn uuid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | ((b >> 48) & 0x3fff),
            b & 0xffff_ffff_ffff
        )
    }
    pub(super) fn hex(&mut self, n: usize) -> String {
        let mut s = String::with_capacity(n);
        while s.len() < n {
            s.push_str(&format!("{:016x}", self.next()));
        }
        s.truncate(n);
        s
    }
}

pub(super) const WORDS: &[&str] = &[
    "archive",
    "thread",
    "voice",
    "signal",
    "garden",
    "river",
    "harbour",
    "lantern",
    "morning",
    "council",
    "memory",
    "season",
    "market",
    "letter",
    "bridge",
    "kitchen",
    "meeting",
    "festival",
    "station",
    "journey",
    "question",
    "answer",
    "recipe",
    "project",
    "draft",
    "photo",
    "friend",
    "neighbour",
    "school",
    "library",
    "winter",
    "summer",
    "rain",
    "coffee",
    "bicycle",
    "music",
    "chorus",
    "rehearsal",
    "budget",
    "plan",
    "map",
    "story",
    "trip",
    "evening",
    "weekend",
    "holiday",
    "birthday",
    "harvest",
    "workshop",
    "notes",
];
pub(super) const VERBS: &[&str] = &[
    "shared",
    "planned",
    "discussed",
    "remembered",
    "moved",
    "found",
    "wrote",
    "asked about",
    "fixed",
    "celebrated",
    "postponed",
    "photographed",
    "argued over",
    "cooked",
    "rehearsed",
    "mapped",
    "counted",
    "sang about",
    "carried",
    "opened",
];
pub(super) const NAMES: &[&str] = &[
    "Ana", "Bruno", "Carla", "Davi", "Elena", "Felipe", "Gabi", "Heitor", "Iris", "João", "Kaká",
    "Lúcia", "Marcos", "Nina", "Otávio", "Paula", "Rafa", "Sofia", "Tiago", "Vera",
];
pub(super) const TAGS: &[&str] = &[
    "family", "travel", "food", "music", "work", "school", "health", "sport", "books", "garden",
    "city", "news",
];
pub(super) const STATUSES: &[&str] = &["published", "published", "published", "draft", "archived"];

pub(super) fn sentence(rng: &mut Rng) -> String {
    format!(
        "{} {} the {} {} near the {}.",
        rng.pick(NAMES),
        rng.pick(VERBS),
        rng.pick(WORDS),
        rng.pick(WORDS),
        rng.pick(WORDS)
    )
}

pub(super) fn paragraphs(rng: &mut Rng, n: u64) -> String {
    let mut out = String::new();
    for p in 0..n {
        if p > 0 {
            out.push_str("\n\n");
        }
        for s in 0..(4 + rng.below(5)) {
            if s > 0 {
                out.push(' ');
            }
            out.push_str(&sentence(rng));
        }
    }
    out
}

pub(super) fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

/// A timestamp `i` steps into a three-year span: documents arrive in order.
pub(super) fn timestamp(i: u64, total: u64) -> String {
    let span = 3 * 365 * 86_400u64;
    let secs = 1_640_995_200 + i * span / total.max(1); // from 2022-01-01
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

/// Days since 1970-01-01 to (year, month, day) (H. Hinnant's algorithm).
pub(super) fn civil(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(19_358), (2023, 1, 1));
        assert_eq!(civil(19_417), (2023, 3, 1));
        assert_eq!(timestamp(0, 10), "2022-01-01T00:00:00Z");
    }

    #[test]
    fn uuids_have_the_v4_shape() {
        let mut r = Rng(1);
        let u = r.uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(u.chars().all(|c| c.is_ascii_hexdigit() || c == '-'));
    }
}
