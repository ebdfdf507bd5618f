//! The benchmarks' tables: a figure's best and median over the runs, its target and whether it
//! was met, aligned in columns.

use std::time::Duration;

/// One line of a table before its figures: a name, a target and a note.
pub struct Row {
    name: String,
    target: Option<Target>,
    note: String,
}

enum Target {
    /// At most this long.
    Time(Duration),
    /// At most this many times the floor.
    Ratio(f64),
}

impl Row {
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            target: None,
            note: String::new(),
        }
    }

    pub fn target_time(mut self, limit: Duration) -> Self {
        self.target = Some(Target::Time(limit));
        self
    }

    pub fn target_ratio(mut self, limit: f64) -> Self {
        self.target = Some(Target::Ratio(limit));
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }
}

pub struct Table {
    title: String,
    lines: Vec<String>,
    missed: Vec<String>,
    targets: usize,
}

const NAME_WIDTH: usize = 46;

impl Table {
    /// A table of figures taken once per run: their best and their median.
    pub fn new(title: impl Into<String>) -> Self {
        Self::with_columns(title, "best", "median")
    }

    pub fn with_columns(title: impl Into<String>, first: &str, second: &str) -> Self {
        let mut table = Self {
            title: title.into(),
            lines: Vec::new(),
            missed: Vec::new(),
            targets: 0,
        };
        table.push_line("", first, second, "target", "", "");
        table
    }

    /// A duration measured once per run: the best and the median.
    pub fn time(&mut self, row: Row, times: &[Duration]) {
        let best = times.iter().min().copied().unwrap_or_default();
        let median = median(times.to_vec());
        let met = match row.target {
            Some(Target::Time(limit)) => Some(best <= limit),
            _ => None,
        };
        self.finish(row, time(best), time(median), met);
    }

    /// A ratio of two durations taken in the same runs: the best of the one over the best of
    /// the other, and the median of each run's own ratio.
    pub fn ratio(&mut self, row: Row, over: &[Duration], under: &[Duration]) {
        let best = |times: &[Duration]| times.iter().min().copied().unwrap_or_default();
        let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(1e-9);
        let best_ratio = ratio(best(over), best(under));
        let per_run: Vec<f64> = over.iter().zip(under).map(|(a, b)| ratio(*a, *b)).collect();
        let met = match row.target {
            Some(Target::Ratio(limit)) => Some(best_ratio <= limit),
            _ => None,
        };
        self.finish(
            row,
            format!("{best_ratio:.2}×"),
            format!("{:.2}×", median_f64(per_run)),
            met,
        );
    }

    /// A figure already written out, with its target and whether it was met.
    pub fn figure(&mut self, name: &str, figure: &str, target: &str, met: bool, note: &str) {
        self.targets += 1;
        if !met {
            self.missed.push(name.to_string());
        }
        self.push_line(name, figure, "", target, verdict(Some(met)), note);
    }

    fn finish(&mut self, row: Row, best: String, median: String, met: Option<bool>) {
        let target = match &row.target {
            Some(Target::Time(limit)) => format!("≤ {}", limit_text(*limit)),
            Some(Target::Ratio(limit)) => format!("≤ {limit}×"),
            None => String::new(),
        };
        if let Some(met) = met {
            self.targets += 1;
            if !met {
                self.missed.push(row.name.clone());
            }
        }
        self.push_line(&row.name, &best, &median, &target, verdict(met), &row.note);
    }

    fn push_line(
        &mut self,
        name: &str,
        best: &str,
        median: &str,
        target: &str,
        verdict: &str,
        note: &str,
    ) {
        let line = format!(
            "  {name:<NAME_WIDTH$} {best:>10} {median:>10}  {target:<10} {verdict:<7}{note}"
        );
        self.lines.push(line.trim_end().to_string());
    }

    pub fn print(&self) {
        println!("{}", self.title);
        for line in &self.lines {
            println!("{line}");
        }
        if self.missed.is_empty() {
            println!("  all {} targets met", self.targets);
        } else {
            println!(
                "  {} of {} targets missed: {}",
                self.missed.len(),
                self.targets,
                self.missed.join("; ")
            );
        }
    }
}

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "missed",
        None => "",
    }
}

/// A target: whole seconds, or milliseconds.
fn limit_text(limit: Duration) -> String {
    if limit.subsec_nanos() == 0 {
        format!("{} s", limit.as_secs())
    } else {
        format!("{} ms", limit.as_millis())
    }
}

/// Milliseconds under a second, seconds above.
pub fn time(duration: Duration) -> String {
    let secs = duration.as_secs_f64();
    if secs < 1.0 {
        let ms = secs * 1e3;
        if ms < 10.0 {
            format!("{ms:.1} ms")
        } else {
            format!("{ms:.0} ms")
        }
    } else {
        format!("{secs:.3} s")
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    match times.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => times[n / 2],
        n => (times[n / 2 - 1] + times[n / 2]) / 2,
    }
}

fn median_f64(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}
