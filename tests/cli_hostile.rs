//! The command line under hostile but realistic use (issue 13): odd output
//! targets, closed and full stdout, malformed files, options that look like
//! flags. Every output target is made inside a scratch folder: a FIFO, a
//! symlink, a 0600 file, a hard link, a character device of our own.
#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{numlab, scratch, stderr, stdout, write_csv};

/// Every command that writes `--output`, with arguments that run in well
/// under a second, and the inputs they read.
fn output_commands(dir: &Path) -> Vec<(&'static str, Vec<&'static str>)> {
    let signal: String = (0..64)
        .map(|i| format!("{},{}\n", i, ((i as f64) * 0.3).sin()))
        .collect();
    write_csv(dir, "sig.csv", &format!("t,v\n{signal}"));
    write_csv(dir, "pts.csv", "x,y\n0,0\n1,1\n0.5,0.25\n0.2,0.9\n");
    vec![
        ("smooth", vec!["smooth", "sig.csv", "--sigma", "2"]),
        ("spectrum", vec!["spectrum", "sig.csv", "--rate", "100"]),
        ("lowpass", vec!["lowpass", "sig.csv", "--keep", "3"]),
        ("neuron", vec!["neuron", "--duration", "5"]),
        ("network", vec!["network", "--duration", "2"]),
        (
            "density",
            vec!["density", "pts.csv", "--size", "8x6", "--method", "hist"],
        ),
    ]
}

fn run_to(dir: &Path, args: &[&str], target: &str) -> Output {
    let mut a: Vec<&str> = args.to_vec();
    a.extend(["--output", target]);
    numlab(dir, &a)
}

fn ok(o: &Output, what: &str) {
    assert!(
        o.status.success(),
        "{what}: exit {:?}: {}",
        o.status.code(),
        stderr(o)
    );
}

fn one_line_error(o: &Output, needle: &str, what: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{what}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{what}: {err}");
    assert!(err.contains(needle), "{what}: '{needle}' not in {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
}

fn no_temporary_files(dir: &Path, what: &str) {
    let left: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".numlab") || n.contains(".tmp"))
        .collect();
    assert!(left.is_empty(), "{what}: left {left:?}");
}

fn is_root() -> bool {
    fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

/// Makes a character device in `dir` (the null or the full device), when root.
fn mknod(dir: &Path, name: &str, minor: u32) -> bool {
    is_root()
        && Command::new("mknod")
            .arg(dir.join(name))
            .args(["c", "1", &minor.to_string()])
            .status()
            .is_ok_and(|s| s.success())
}

#[test]
fn outputs_never_destroy_what_they_replace() {
    let dir = scratch("targets");
    for (name, args) in output_commands(&dir) {
        ok(&run_to(&dir, &args, "ref.csv"), name);
        let reference = fs::read(dir.join("ref.csv")).unwrap();
        assert!(!reference.is_empty(), "{name}");

        // A 0600 file keeps its mode.
        fs::write(dir.join("private.csv"), "old").unwrap();
        fs::set_permissions(dir.join("private.csv"), fs::Permissions::from_mode(0o600)).unwrap();
        ok(&run_to(&dir, &args, "private.csv"), name);
        let m = fs::metadata(dir.join("private.csv")).unwrap();
        assert_eq!(m.permissions().mode() & 0o777, 0o600, "{name}: mode");
        assert_eq!(fs::read(dir.join("private.csv")).unwrap(), reference);

        // A symlink stays a link; the file it points to gets the result.
        fs::write(dir.join("target.csv"), "old").unwrap();
        let _ = fs::remove_file(dir.join("link.csv"));
        std::os::unix::fs::symlink("target.csv", dir.join("link.csv")).unwrap();
        ok(&run_to(&dir, &args, "link.csv"), name);
        assert!(fs::symlink_metadata(dir.join("link.csv"))
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read(dir.join("target.csv")).unwrap(), reference);

        // A hard link is not split.
        for f in ["h1.csv", "h2.csv"] {
            let _ = fs::remove_file(dir.join(f));
        }
        fs::write(dir.join("h1.csv"), "old").unwrap();
        fs::hard_link(dir.join("h1.csv"), dir.join("h2.csv")).unwrap();
        ok(&run_to(&dir, &args, "h2.csv"), name);
        assert_eq!(fs::read(dir.join("h1.csv")).unwrap(), reference, "{name}");
        assert_eq!(fs::metadata(dir.join("h1.csv")).unwrap().nlink(), 2);

        // A FIFO is written through, not replaced by a file.
        let fifo = dir.join("pipe.csv");
        let _ = fs::remove_file(&fifo);
        assert!(Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read(fifo).unwrap())
        };
        ok(&run_to(&dir, &args, "pipe.csv"), name);
        assert_eq!(
            reader.join().unwrap(),
            reference,
            "{name}: through the FIFO"
        );
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());

        // A character device of our own (a null device) stays a device.
        if mknod(&dir, "null.csv", 3) {
            ok(&run_to(&dir, &args, "null.csv"), name);
            let t = fs::symlink_metadata(dir.join("null.csv"))
                .unwrap()
                .file_type();
            assert!(t.is_char_device(), "{name}: the device became a file");
            fs::remove_file(dir.join("null.csv")).unwrap();
        }

        // Folders are refused with one line saying the output must be a file.
        fs::create_dir_all(dir.join("adir")).unwrap();
        for t in ["adir/", "adir", "."] {
            one_line_error(&run_to(&dir, &args, t), "must be a file", name);
        }

        // The longest legal name works (the temporary name stays short).
        let long = format!("{}.csv", "n".repeat(250));
        ok(&run_to(&dir, &args, &long), name);
        assert_eq!(fs::read(dir.join(&long)).unwrap(), reference);
        fs::remove_file(dir.join(&long)).unwrap();
        no_temporary_files(&dir, name);
    }
}

/// Runs numlab with stdout closed before it writes anything.
fn with_stdout_closed(dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_numlab"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

/// Runs numlab with stdout on a device that is always full.
fn with_stdout_full(dir: &Path, args: &[&str]) -> Output {
    let full = if mknod(dir, "full", 7) {
        dir.join("full")
    } else {
        Path::new("/dev/full").to_path_buf()
    };
    let out = fs::OpenOptions::new().write(true).open(&full).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_numlab"))
        .args(args)
        .current_dir(dir)
        .stdout(out)
        .output()
        .unwrap();
    let _ = fs::remove_file(dir.join("full"));
    o
}

#[test]
fn a_closed_or_full_stdout_never_panics() {
    let dir = scratch("stdout");
    let mut commands: Vec<Vec<&str>> = output_commands(&dir).into_iter().map(|(_, a)| a).collect();
    write_csv(&dir, "a.csv", &{
        let mut s = String::from("v\n");
        for i in 0..200 {
            s.push_str(&format!("{}\n", ((i * 7919) % 97) as f64));
        }
        s
    });
    commands.extend([
        vec!["wave", "--grids", "20,40"],
        vec!["wave", "--grids", "20,40", "--json"],
        vec!["bench", "--list"],
        vec!["lag", "a.csv", "a.csv", "--rate", "100"],
        vec!["neuron", "--duration", "5", "--json"],
        vec!["--help"],
        vec!["smooth", "--help"],
    ]);
    for args in &commands {
        let o = with_stdout_closed(&dir, args);
        assert_eq!(o.status.code(), Some(0), "{args:?} | head: {}", stderr(&o));
        assert!(stderr(&o).is_empty(), "{args:?} | head: {}", stderr(&o));
        let o = with_stdout_full(&dir, args);
        one_line_error(&o, "stdout", &format!("{args:?} > full"));
    }
    // figures: nothing is written when its report cannot be printed.
    let o = with_stdout_full(&dir, &["figures", "--study", "spectrum", "--out", "figs"]);
    one_line_error(&o, "stdout", "figures > full");
    assert!(!dir.join("figs").exists());
}

fn listing(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let bytes = if e.file_type().unwrap().is_file() {
                fs::read(e.path()).unwrap()
            } else {
                b"<folder>".to_vec()
            };
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    v.sort();
    v
}

#[test]
fn figures_replace_only_numlabs_files_and_all_or_nothing() {
    let dir = scratch("figures-out");
    // A user's notes are not overwritten, nor is anything else written there.
    fs::create_dir(dir.join("notes")).unwrap();
    fs::write(dir.join("notes/summary.md"), "my notes\n").unwrap();
    let before = listing(&dir.join("notes"));
    let o = numlab(&dir, &["figures", "--study", "spectrum", "--out", "notes"]);
    one_line_error(&o, "summary.md", "user's summary.md");
    assert_eq!(listing(&dir.join("notes")), before);

    // A fresh folder, then the same folder again: numlab's own files are replaced.
    let o = numlab(&dir, &["figures", "--study", "spectrum", "--out", "figs"]);
    ok(&o, "fresh");
    assert!(stdout(&o).contains("wrote"), "{}", stdout(&o));
    let first = listing(&dir.join("figs"));
    assert!(first.iter().any(|(n, _)| n == "summary.md"));
    assert!(first.iter().any(|(n, _)| n.ends_with(".svg")));
    ok(
        &numlab(&dir, &["figures", "--study", "spectrum", "--out", "figs"]),
        "again",
    );
    assert_eq!(listing(&dir.join("figs")), first, "reproduced in place");

    // A figure's name taken by a folder: refused, the folder left as it was.
    let svg = first
        .iter()
        .find(|(n, _)| n.ends_with(".svg"))
        .unwrap()
        .0
        .clone();
    fs::remove_file(dir.join("figs").join(&svg)).unwrap();
    fs::create_dir(dir.join("figs").join(&svg)).unwrap();
    let before = listing(&dir.join("figs"));
    let o = numlab(&dir, &["figures", "--study", "spectrum", "--out", "figs"]);
    one_line_error(&o, &svg, "name taken by a folder");
    assert_eq!(listing(&dir.join("figs")), before);

    // A folder of other files is fine when no name is taken.
    fs::create_dir(dir.join("mixed")).unwrap();
    fs::write(dir.join("mixed/readme.txt"), "mine").unwrap();
    ok(
        &numlab(&dir, &["figures", "--study", "spectrum", "--out", "mixed"]),
        "mixed",
    );
    assert_eq!(fs::read(dir.join("mixed/readme.txt")).unwrap(), b"mine");
    no_temporary_files(&dir.join("figs"), "figs");
    no_temporary_files(&dir.join("mixed"), "mixed");
}

#[test]
fn cells_and_first_rows_are_never_silently_dropped() {
    let dir = scratch("cells");
    // A quoted empty cell is an empty cell: a missing value, never a lost sample.
    write_csv(&dir, "q1.csv", "y\n1\n\"\"\n3\n4\n");
    let o = numlab(&dir, &["smooth", "q1.csv", "--sigma", "1", "--skip-nan"]);
    ok(&o, "one column");
    let (_, cols) = common::parse_csv(&stdout(&o));
    assert_eq!(cols[0], [0.0, 1.0, 2.0, 3.0]);
    assert!(cols[1][1].is_nan());
    let o = numlab(&dir, &["spectrum", "q1.csv", "--rate", "1"]);
    one_line_error(&o, "NaN", "spectrum of a missing value");
    write_csv(&dir, "q2.csv", "x,y\n0,1\n\"\"\n2,3\n");
    for args in [
        vec!["smooth", "q2.csv", "--sigma", "1"],
        vec!["density", "q2.csv", "--method", "hist"],
    ] {
        one_line_error(
            &numlab(&dir, &args),
            "line 3",
            "a lone quoted cell in two columns",
        );
    }

    // A typo in a headerless first row is an error naming the cell, for every reader.
    write_csv(&dir, "typo.csv", "0.0,1.O\n1,2\n2,3\n3,5\n");
    for args in [
        vec!["smooth", "typo.csv", "--sigma", "1"],
        vec!["spectrum", "typo.csv", "--rate", "1"],
        vec!["lowpass", "typo.csv", "--keep", "1"],
        vec!["lag", "typo.csv", "typo.csv", "--rate", "1"],
        vec!["density", "typo.csv", "--method", "hist"],
    ] {
        let o = numlab(&dir, &args);
        one_line_error(&o, "'1.O'", &format!("{args:?}"));
        assert!(stderr(&o).contains("--header"));
    }
    // With --header the first row is names, even numbers.
    write_csv(&dir, "numeric-names.csv", "0,1\n0,1\n1,2\n2,4\n");
    let o = numlab(
        &dir,
        &[
            "smooth",
            "numeric-names.csv",
            "--header",
            "--x",
            "0",
            "--y",
            "1",
            "--sigma",
            "1",
        ],
    );
    ok(&o, "--header");
    assert_eq!(common::parse_csv(&stdout(&o)).1[0], [0.0, 1.0, 2.0]);

    // Non-finite points are reported on stderr in every output mode.
    write_csv(&dir, "nan.csv", "x,y\n0,0\nnan,1\n1,1\n0.5,inf\n");
    let o = numlab(
        &dir,
        &["density", "nan.csv", "--size", "4x4", "--method", "hist"],
    );
    ok(&o, "density to stdout");
    assert!(
        stderr(&o).contains("2 of 4 points skipped"),
        "{}",
        stderr(&o)
    );
    let o = numlab(
        &dir,
        &[
            "density", "nan.csv", "--size", "4x4", "--method", "hist", "--output", "d.npy",
        ],
    );
    ok(&o, "density to a file");
    assert!(stderr(&o).contains("2 of 4 points skipped"));
}

#[test]
fn messages_name_the_real_cause() {
    let dir = scratch("messages");
    write_csv(&dir, "ok.csv", "x,y\n0,1\n1,2\n2,3\n3,5\n");
    // Values that start with '-' are values, never unknown flags.
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "smooth", "ok.csv", "--sigma", "1", "--mode", "constant", "--cval", "-inf",
            ],
            "--cval",
        ),
        (
            &[
                "lag", "ok.csv", "ok.csv", "--rate", "10", "--band", "-10,100",
            ],
            "--band",
        ),
        (&["density", "ok.csv", "--size", "-1x4"], "--size"),
        (
            &["density", "ok.csv", "--passes", "-1", "--method", "box"],
            "--passes",
        ),
        (&["wave", "--grids", "-5"], "--grids"),
        (&["neuron", "--seed", "-3"], "--seed"),
    ];
    for (args, needle) in cases {
        let o = numlab(&dir, args);
        one_line_error(&o, needle, &format!("{args:?}"));
        let err = stderr(&o);
        assert!(
            !err.contains("unexpected argument") && !err.contains("tip"),
            "{args:?}: {err}"
        );
    }
    // --cval -inf is read as a number: a finite one works.
    ok(
        &numlab(
            &dir,
            &[
                "smooth", "ok.csv", "--sigma", "1", "--mode", "constant", "--cval", "-2.5",
            ],
        ),
        "--cval -2.5",
    );

    // A file that is not UTF-8 text: the line and the byte.
    fs::write(dir.join("latin1.csv"), b"x,y\n0,1\n1,caf\xe9\n").unwrap();
    let o = numlab(&dir, &["smooth", "latin1.csv", "--sigma", "1"]);
    one_line_error(&o, "line 3, byte 6", "Latin-1");
    assert!(stderr(&o).contains("0xe9"));
}

/// A small deterministic generator for the fuzz cases (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Random bytes and random mutations of valid files through the whole
/// command: exit 0 with an output file, or one line and exit 2 with none;
/// never a panic, never a temporary file left.
#[test]
fn fuzzed_files_give_a_result_or_one_line() {
    const SEED: u64 = 0x6e75_6d6c_6162_0013;
    const CASES: usize = 300;
    let dir = scratch("fuzz");
    let valid = [
        "x,y\n0,1\n1,2.5\n2,-3e-2\n3,nan\n4,inf\n",
        "\u{feff}time,volts\r\n0.0,1\r\n0.5,2\r\n1.0,\"3\"\r\n",
        "1\n2\n\n4\n5\n",
        "a,b,c\n1,2,3\n4,5,6\n7,8,9\n",
    ];
    let alphabet = b"0123456789.,-+eE\n\r\" naifNI\xef\xbb\xbf\xe9\x00;\t";
    let mut rng = Rng(SEED);
    let mut outcomes = [0usize; 2];
    for case in 0..CASES {
        let mut bytes: Vec<u8> = if case % 5 == 0 {
            (0..rng.below(64))
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect()
        } else {
            valid[rng.below(valid.len())].as_bytes().to_vec()
        };
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(bytes.len() + 1);
            match rng.below(3) {
                0 if at < bytes.len() => {
                    bytes.remove(at);
                }
                1 if at < bytes.len() => bytes[at] = alphabet[rng.below(alphabet.len())],
                _ => bytes.insert(at, alphabet[rng.below(alphabet.len())]),
            }
        }
        fs::write(dir.join("in.csv"), &bytes).unwrap();
        let _ = fs::remove_file(dir.join("out.csv"));
        let o = numlab(
            &dir,
            &["smooth", "in.csv", "--sigma", "1", "--output", "out.csv"],
        );
        let what = format!("case {case}: {:?}", String::from_utf8_lossy(&bytes));
        match o.status.code() {
            Some(0) => {
                assert!(dir.join("out.csv").exists(), "{what}");
                outcomes[0] += 1;
            }
            Some(2) => {
                assert_eq!(
                    stderr(&o).trim_end().lines().count(),
                    1,
                    "{what}: {}",
                    stderr(&o)
                );
                assert!(!dir.join("out.csv").exists(), "{what}");
                outcomes[1] += 1;
            }
            c => panic!("{what}: exit {c:?}: {}", stderr(&o)),
        }
        no_temporary_files(&dir, &what);
    }
    // Both outcomes occur, so the cases reach past the first checks.
    assert!(outcomes[0] > 10 && outcomes[1] > 10, "{outcomes:?}");
}
