//! Per-stage timings of the whole pipeline over real specs, against the
//! floor every generator pays: the typed parse of the spec into
//! `openapiv3::OpenAPI` plus copying the produced output tree (`cp -r`).
//!
//! ```sh
//! cargo bench --bench pipeline                 # the specs of issue "speed"
//! cargo bench --bench pipeline -- SPEC...      # any specs
//! BENCH_RUNS=9 cargo bench --bench pipeline    # more runs per spec (median)
//! ```
//!
//! Every spec is measured in a child process of its own (this binary run
//! with `--one SPEC`) so that its peak memory (`VmHWM`) is its own. Each
//! stage is timed `BENCH_RUNS` times (default 5) and the median reported.
//! `end-to-end` is a fresh `generate --crate` run in-process, as the CLI
//! does it (`Generator::generate_into`): load, IR, every target and writing
//! into an empty folder. `mem×` is the peak resident memory (`ru_maxrss`)
//! of the `oapi-models generate --crate` command itself, run once as a
//! child process, divided by the spec's size.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use oapi_models::Generator;
use oapi_models::load::{parse_text, read_text};

/// The specs the speed targets are stated for (relative to the project root).
const DEFAULT_SPECS: &[&str] = &[
    "../shared/specs/github-api.github.com.json",
    "../shared/specs/stripe-spec3.yaml",
    "../shared/specs/openai.yaml",
    "../shared/specs/kubernetes/api__v1_openapi.json",
    "../shared/specs/bungie.json",
    "../shared/specs/github-octokit.json",
    "specs/hathora.json",
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--memory") {
        let Some(spec) = args.get(i + 1) else {
            fail("--memory needs a spec")
        };
        memory_by_stage(Path::new(spec));
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--one") {
        let Some(spec) = args.get(i + 1) else {
            eprintln!("--one needs a spec");
            std::process::exit(2);
        };
        measure_one(Path::new(spec));
        return;
    }
    // `cargo bench` passes `--bench`; anything else not starting with `-` is a spec.
    let mut specs: Vec<String> = args.into_iter().filter(|a| !a.starts_with('-')).collect();
    if specs.is_empty() {
        specs = DEFAULT_SPECS.iter().map(|s| s.to_string()).collect();
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let exe = std::env::current_exe().unwrap_or_else(|e| fail(&format!("current_exe: {e}")));
    println!(
        "{:<34} {:>6} {:>7} {:>6} {:>7} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>7} {:>6} {:>6} {:>7}",
        "spec",
        "MB",
        "models",
        "read",
        "parse",
        "typed",
        "load",
        "ir",
        "rust",
        "md",
        "write",
        "e2e",
        "cp-r",
        "ratio",
        "mem×"
    );
    let mut worst: Option<(f64, String)> = None;
    for spec in &specs {
        let path = root.join(spec);
        let output = Command::new(&exe)
            .arg("--one")
            .arg(&path)
            .output()
            .unwrap_or_else(|e| fail(&format!("run {}: {e}", exe.display())));
        if !output.status.success() {
            println!(
                "{spec}: failed\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
            continue;
        }
        let line = String::from_utf8_lossy(&output.stdout);
        let line = line.trim_end();
        println!("{line}");
        if let Some(ratio) = line
            .split_whitespace()
            .rev()
            .nth(1)
            .and_then(|r| r.parse::<f64>().ok())
            && worst.as_ref().is_none_or(|(w, _)| ratio > *w)
        {
            worst = Some((ratio, spec.clone()));
        }
    }
    if let Some((ratio, spec)) = worst {
        println!("worst ratio: {ratio:.2} ({spec})");
    }
    println!(
        "times in ms (median of {} runs); ratio = e2e / (typed + cp-r); mem× = peak RSS / spec size",
        runs()
    );
}

fn fail(message: &str) -> ! {
    eprintln!("bench: {message}");
    std::process::exit(1)
}

fn runs() -> usize {
    std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(5)
}

/// The median time of `runs()` calls of `f`.
fn median<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs() {
        let start = Instant::now();
        let value = f();
        times.push(start.elapsed());
        last = Some(value);
    }
    times.sort();
    let Some(value) = last else { fail("no runs") };
    (times[times.len() / 2], value)
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// A fresh empty folder for one write.
fn fresh_dir(tag: &str, i: usize) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "oapi-models-bench-{}-{tag}-{i}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Peak resident memory of the largest child process waited for, in bytes.
fn children_peak_rss() -> Option<u64> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
        // SAFETY: `getrusage` fills the struct it is given; it is zeroed and
        // only read after the call succeeded.
        let usage = unsafe {
            if libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()) != 0 {
                return None;
            }
            usage.assume_init()
        };
        // Linux reports kilobytes.
        u64::try_from(usage.ru_maxrss).ok().map(|kb| kb * 1024)
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    None
}

/// Peak resident memory of this process in bytes (Linux), if known.
fn peak_rss() -> Option<u64> {
    proc_status("VmHWM:")
}

/// A `/proc/self/status` field in bytes.
fn proc_status(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Counts live heap bytes, so that `--memory` can tell what each stage
/// keeps alive apart from what the allocator holds on to.
struct CountingAllocator;

/// Live bytes (signed: memory allocated before counting began may be freed).
static LIVE: std::sync::atomic::AtomicIsize = std::sync::atomic::AtomicIsize::new(0);
static PEAK: std::sync::atomic::AtomicIsize = std::sync::atomic::AtomicIsize::new(0);
/// Counting is on only for `--memory`, so timings pay nothing for it.
static COUNTING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

// SAFETY: every call is forwarded to the system allocator unchanged; the
// counters are only read for reports.
unsafe impl std::alloc::GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        use std::sync::atomic::Ordering::Relaxed;
        if !COUNTING.load(Relaxed) {
            // SAFETY: same contract as the caller's.
            return unsafe { std::alloc::System.alloc(layout) };
        }
        let size = layout.size() as isize;
        let live = LIVE.fetch_add(size, Relaxed) + size;
        PEAK.fetch_max(live, Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { std::alloc::System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        if !COUNTING.load(std::sync::atomic::Ordering::Relaxed) {
            // SAFETY: same contract as the caller's.
            return unsafe { std::alloc::System.dealloc(ptr, layout) };
        }
        LIVE.fetch_sub(layout.size() as isize, std::sync::atomic::Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        use std::sync::atomic::Ordering::Relaxed;
        let grown = new_size as isize - layout.size() as isize;
        let live = LIVE.fetch_add(grown, Relaxed) + grown;
        PEAK.fetch_max(live, Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { std::alloc::System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// `--memory SPEC`: after each stage of one run (the same stages as
/// `generate`), the live heap, its peak so far, and the resident and peak
/// resident memory of the process, to see where memory goes.
fn memory_by_stage(spec: &Path) {
    use std::sync::atomic::Ordering::Relaxed;
    COUNTING.store(true, Relaxed);
    let size = std::fs::metadata(spec).map(|m| m.len()).unwrap_or(1) as f64;
    let report = |stage: &str| {
        let mb = |v: u64| v as f64 / 1e6;
        let peak = peak_rss().unwrap_or(0);
        println!(
            "{stage:<6} heap {:>6.1} MB (peak {:>6.1})  rss {:>6.1} MB (peak {:>6.1}, {:.1}× spec)",
            mb(LIVE.load(Relaxed).max(0) as u64),
            mb(PEAK.load(Relaxed).max(0) as u64),
            mb(proc_status("VmRSS:").unwrap_or(0)),
            mb(peak),
            peak as f64 / size
        );
        // Each stage's heap peak is its own.
        PEAK.store(LIVE.load(Relaxed), Relaxed);
    };
    report("start");
    {
        let text = read_text(spec).unwrap_or_else(|e| fail(&e.to_string()));
        let value = parse_text(spec, &text).unwrap_or_else(|e| fail(&e.to_string()));
        report("value");
        let typed: Option<openapiv3::OpenAPI> = serde::Deserialize::deserialize(&value).ok();
        report("typed");
        drop((text, value, typed));
    }
    report("free");
    let generator = Generator::new().crate_name("bench-models");
    let loaded = generator
        .load(spec)
        .unwrap_or_else(|e| fail(&e.to_string()));
    report("load");
    let ir = generator
        .build_ir(&loaded)
        .unwrap_or_else(|e| fail(&e.to_string()));
    report("ir");
    drop(loaded);
    report("-spec");
    {
        use oapi_models::targets::Target;
        let rust_files = oapi_models::targets::rust::RustTarget {
            crate_name: Some("bench-models".to_string()),
            ..Default::default()
        }
        .generate(&ir)
        .unwrap_or_else(|e| fail(&e.to_string()));
        report("rust");
        drop(rust_files);
        PEAK.store(LIVE.load(Relaxed), Relaxed);
        let pages = oapi_models::targets::markdown::MarkdownTarget::default()
            .generate(&ir)
            .unwrap_or_else(|e| fail(&e.to_string()));
        report("md");
        drop(pages);
        PEAK.store(LIVE.load(Relaxed), Relaxed);
    }
    let files = generator
        .generate_files(&ir)
        .unwrap_or_else(|e| fail(&e.to_string()));
    let bytes: usize = files.iter().map(|f| f.contents.len()).sum();
    let capacity: usize = files.iter().map(|f| f.contents.capacity()).sum();
    report("files");
    println!(
        "output: {} files, {:.1} MB ({:.1} MB allocated)",
        files.len(),
        bytes as f64 / 1e6,
        capacity as f64 / 1e6
    );
    let dir = fresh_dir("memory", 0);
    oapi_models::output::write_files(&dir, &files).unwrap_or_else(|e| fail(&e.to_string()));
    report("write");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Measures one spec and prints one table row.
fn measure_one(spec: &Path) {
    let size = std::fs::metadata(spec)
        .map(|m| m.len())
        .unwrap_or_else(|e| fail(&format!("{}: {e}", spec.display())));
    let generator = Generator::new().crate_name("bench-models");

    // Peak memory: the command users run, `oapi-models generate --crate`,
    // in a child process of its own (the first child, so the largest).
    let out = fresh_dir("e2e-mem", 0);
    let status = Command::new(env!("CARGO_BIN_EXE_oapi-models"))
        .arg("generate")
        .arg(spec)
        .arg("--out")
        .arg(&out)
        .args(["--crate", "bench-models"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap_or_else(|e| fail(&format!("run oapi-models: {e}")));
    if !status.success() {
        fail(&format!(
            "oapi-models generate {}: {status}",
            spec.display()
        ));
    }
    let peak = children_peak_rss();

    let (read, text) = median(|| read_text(spec).unwrap_or_else(|e| fail(&e.to_string())));
    let (parse, value) =
        median(|| parse_text(spec, &text).unwrap_or_else(|e| fail(&e.to_string())));
    // The floor's typed parse: straight from JSON text for JSON (what any
    // serde-based generator does); from the parsed value for YAML.
    let is_json = text.trim_start().starts_with('{');
    let (typed, _) = median(|| {
        let parsed: Result<openapiv3::OpenAPI, _> = if is_json {
            serde_json::from_str(&text)
        } else {
            serde_json::from_value(parse_text(spec, &text).unwrap_or(value.clone()))
        };
        parsed.is_ok()
    });
    let (load, loaded) = median(|| {
        generator
            .load(spec)
            .unwrap_or_else(|e| fail(&e.to_string()))
    });
    let (ir_time, ir) = median(|| {
        generator
            .build_ir(&loaded)
            .unwrap_or_else(|e| fail(&e.to_string()))
    });
    let rust_target = oapi_models::targets::rust::RustTarget {
        crate_name: Some("bench-models".to_string()),
        ..Default::default()
    };
    let markdown_target = oapi_models::targets::markdown::MarkdownTarget::default();
    use oapi_models::targets::Target;
    let (rust, _) = median(|| {
        rust_target
            .generate(&ir)
            .unwrap_or_else(|e| fail(&e.to_string()))
    });
    let (markdown, _) = median(|| {
        markdown_target
            .generate(&ir)
            .unwrap_or_else(|e| fail(&e.to_string()))
    });
    let files = generator
        .generate_files(&ir)
        .unwrap_or_else(|e| fail(&e.to_string()));
    // The three measurements that create a tree of files take turns, run
    // by run, so that all three see the same file system: creating files
    // costs more right after many were deleted (ext4 skips recently freed
    // inodes). Trees are deleted only at the end, which keeps that cost
    // out of the measurements as far as one run allows (the harder case
    // for the ratio: the floor's `cp -r` is then at its fastest).
    let (mut writes, mut e2es, mut copies) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..runs() {
        let dir = fresh_dir("write", i);
        let start = Instant::now();
        oapi_models::output::write_files(&dir, &files).unwrap_or_else(|e| fail(&e.to_string()));
        writes.push(start.elapsed());

        let dir = fresh_dir("e2e", i);
        let start = Instant::now();
        generator
            .generate_into(spec, &dir, &|_| {})
            .unwrap_or_else(|e| fail(&e.to_string()));
        e2es.push(start.elapsed());

        let dir = fresh_dir("cp", i);
        let start = Instant::now();
        let status = Command::new("cp")
            .arg("-r")
            .arg(&out)
            .arg(&dir)
            .status()
            .unwrap_or_else(|e| fail(&format!("cp: {e}")));
        copies.push(start.elapsed());
        if !status.success() {
            fail("cp -r failed");
        }
    }
    for i in 0..runs() {
        for tag in ["write", "e2e", "cp"] {
            let _ = std::fs::remove_dir_all(fresh_dir(tag, i));
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    let middle = |mut times: Vec<Duration>| {
        times.sort();
        times.get(times.len() / 2).copied().unwrap_or_default()
    };
    let (write, e2e, copy) = (middle(writes), middle(e2es), middle(copies));
    let floor = typed + copy;
    let ratio = e2e.as_secs_f64() / floor.as_secs_f64();
    let mem = peak.map_or("n/a".to_string(), |p| {
        format!("{:.1}", p as f64 / size as f64)
    });
    let name = spec
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    println!(
        "{:<34} {:>6.1} {:>7} {:>6} {:>7} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>7} {:>6} {:>6.2} {:>7}",
        name,
        size as f64 / 1e6,
        ir.models.len(),
        ms(read),
        ms(parse),
        ms(typed),
        ms(load),
        ms(ir_time),
        ms(rust),
        ms(markdown),
        ms(write),
        ms(e2e),
        ms(copy),
        ratio,
        mem
    );
}
