//! The fast reader against the reference reader and `str::parse`.

use super::reference;
use super::scan::{self, number};
use super::{Columns, Header};

/// The seed of every generated file here.
const SEED: u64 = 0x6373_765f_7363_616e;

/// A small xorshift generator (no dependency, fixed sequence).
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

/// Same value, bit for bit (NaN: any NaN of the same sign).
fn same(a: f64, b: f64) -> bool {
    if a.is_nan() || b.is_nan() {
        a.is_nan() && b.is_nan() && a.is_sign_negative() == b.is_sign_negative()
    } else {
        a.to_bits() == b.to_bits()
    }
}

fn check_number(s: &str) {
    let want = s.parse::<f64>().ok();
    let got = number::<true>(s.as_bytes());
    match (want, got) {
        (Some(w), Some(g)) => assert!(same(w, g), "{s:?}: {g:e} != {w:e}"),
        (None, None) => {}
        _ => panic!("{s:?}: str::parse {want:?}, fast reader {got:?}"),
    }
    assert_eq!(
        number::<false>(s.as_bytes()).is_some(),
        want.is_some(),
        "{s:?} (check only)"
    );
}

/// Every string of up to 5 bytes over the alphabet of numbers: the reader's
/// grammar is exactly `str::parse`'s (signs, "1.", ".5", "1e", "inf",
/// "infinity", "nan" in any case, ...).
#[test]
fn number_grammar_is_str_parse() {
    let alphabet = b"019.eE+-x";
    let mut count = 0;
    for len in 1..=5 {
        let mut idx = vec![0usize; len];
        loop {
            let s: String = idx.iter().map(|&i| alphabet[i] as char).collect();
            check_number(&s);
            count += 1;
            let mut k = 0;
            while k < len {
                idx[k] += 1;
                if idx[k] < alphabet.len() {
                    break;
                }
                idx[k] = 0;
                k += 1;
            }
            if k == len {
                break;
            }
        }
    }
    assert!(count > 60_000);
    for s in [
        "inf",
        "INF",
        "-inf",
        "+inf",
        "Infinity",
        "-infinity",
        "+INFINITY",
        "nan",
        "NaN",
        "-nan",
        "+nan",
        "infinit",
        "infinityy",
        "nana",
        "in",
        "-",
        "+",
        "",
        " 1",
        "1 ",
        "1_0",
        "0x10",
        "1e+",
        "1e-",
        "1e+5",
        "1E-5",
        ".e5",
        "1.e5",
        "+.5",
        "-.5e-3",
        "00012.5000",
        "1e400",
        "-1e400",
        "1e-400",
        "2.2250738585072011e-308",
        "4.9e-324",
        "1.7976931348623157e308",
        "1.7976931348623159e308",
        "9007199254740993",
        "9007199254740992.0",
        "0.1000000000000000055511151231257827",
        "123456789012345678901234567890",
        "1e99999999999999999999",
        "1e-99999999999999999999",
        "0e99999999999999999999",
        "-0",
        "-0.0",
        "+0.000000",
        "١",
        "１",
        "1\u{0}",
        "1,5",
        "1.5.5",
        "--1",
        "+-1",
        "ee",
    ] {
        check_number(s);
    }
}

/// Random doubles printed every way a program prints them.
#[test]
fn random_numbers_are_str_parse() {
    let mut rng = Rng(SEED);
    for _ in 0..50_000 {
        let v = match rng.below(3) {
            0 => f64::from_bits(rng.next()),
            1 => {
                (rng.next() as f64 / u64::MAX as f64 - 0.5) * 10f64.powi(rng.below(61) as i32 - 30)
            }
            _ => (rng.next() % 2_000_000_001) as f64 / 1e6 - 1000.0,
        };
        if !v.is_finite() {
            continue;
        }
        for s in printings(v, &mut rng) {
            check_number(&s);
        }
    }
}

/// `v` as `%.17g`, `%.6f`, shortest, exponent forms, with signs and cases.
fn printings(v: f64, rng: &mut Rng) -> Vec<String> {
    let mut out = vec![
        format!("{v:.16e}"),
        format!("{v:.6}"),
        format!("{v}"),
        format!("{v:?}"),
        format!("{v:e}"),
        format!("{v:E}"),
        format!("{:.3e}", v).replace('e', "e+"),
    ];
    if v.abs() < 1e20 {
        out.push(format!("{v:.17}"));
    }
    if v >= 0.0 && rng.below(2) == 0 {
        out.push(format!("+{v:.6}"));
    }
    out
}

/// The fast reader's table equals the reference reader's: names, and every
/// value bit for bit.
fn assert_same_table(fast: &Columns, reference: &Columns, what: &str) {
    assert_eq!(fast.names, reference.names, "{what}");
    assert_eq!(fast.values.len(), reference.values.len(), "{what}");
    for (k, (f, r)) in fast.values.iter().zip(&reference.values).enumerate() {
        if !fast.parsed[k] {
            continue;
        }
        assert_eq!(f.len(), r.len(), "{what}: column {k}");
        for (i, (a, b)) in f.iter().zip(r).enumerate() {
            assert!(same(*a, *b), "{what}: column {k}, row {i}: {a:e} != {b:e}");
        }
    }
}

/// Whatever the fast reader accepts (at chunk sizes that cut rows and
/// numbers anywhere), the reference reader accepts with the same table; and
/// the reader as numlab calls it gives the reference reader's table or
/// error. Returns whether the fast reader took the file on.
pub(crate) fn same_as_reference(bytes: &[u8], path: &str, header: Header) -> bool {
    same_as_reference_at(bytes, path, header, &[1, 2, 3, 5, 8, 13, 64, scan::CHUNK])
}

/// [`same_as_reference`] at the given chunk sizes.
pub(crate) fn same_as_reference_at(
    bytes: &[u8],
    path: &str,
    header: Header,
    chunks: &[usize],
) -> bool {
    let want = reference::read_bytes(bytes.to_vec(), path, header);
    let mut taken = false;
    for &chunk in chunks {
        if let Some(t) = scan::read(bytes, path, header, None, chunk) {
            taken = true;
            match &want {
                Ok(w) => assert_same_table(&t, w, &format!("chunk {chunk}, {bytes:?}")),
                Err(e) => panic!("fast reader took {bytes:?} (chunk {chunk}); reference: {e}"),
            }
        }
    }
    // Only the first column, or only the last: the others are checked.
    for pick in [0usize, usize::MAX] {
        let keys = move |w: usize| vec![pick.min(w.saturating_sub(1)).to_string()];
        if let (Some(t), Ok(w)) = (scan::read(bytes, path, header, Some(&keys), 7), &want) {
            assert_same_table(&t, w, &format!("one column, {bytes:?}"));
        } else if let (Some(_), Err(e)) = (scan::read(bytes, path, header, Some(&keys), 7), &want) {
            panic!("fast reader took {bytes:?} (one column); reference: {e}");
        }
    }
    taken
}

/// Files of every shape the fast reader takes on, and of shapes it leaves
/// to the reference reader, at chunk sizes that cut rows and numbers.
#[test]
fn generated_files_read_as_the_reference() {
    let mut rng = Rng(SEED ^ 1);
    let cells = |rng: &mut Rng| -> String {
        let v = (rng.next() as f64 / u64::MAX as f64 - 0.5) * 10f64.powi(rng.below(13) as i32 - 6);
        match rng.below(14) {
            0 => format!("{v:.16e}"),
            1 => format!("{v:.17}"),
            2 => format!("{v:e}"),
            3 => format!("{v:E}"),
            4 => ["nan", "NaN", "inf", "-inf", "+Infinity", "-nan"][rng.below(6)].to_string(),
            5 => String::new(),
            6 => format!(" {v:.6}\t"),
            7 => format!("{:.0}.", v.abs()),
            8 => format!("+{:.6}", v.abs()),
            9 => format!("{}", f64::from_bits(rng.next())),
            _ => format!("{v:.6}"),
        }
    };
    let mut fast = 0;
    for case in 0..400 {
        let width = 1 + rng.below(4);
        let rows = 1 + rng.below(40);
        let crlf = rng.below(3) == 0;
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut text = String::new();
        if rng.below(5) == 0 {
            text.push('\u{feff}');
        }
        if rng.below(5) == 0 {
            text.push_str(nl);
            text.push_str("  ");
            text.push_str(nl);
        }
        match rng.below(4) {
            0 => {}
            1 => {
                let names: Vec<String> = (0..width).map(|k| format!("col{k}")).collect();
                text.push_str(&names.join(","));
                text.push_str(nl);
            }
            2 => {
                let names: Vec<String> = (0..width).map(|k| format!("\"é {k}\"")).collect();
                text.push_str(&names.join(","));
                text.push_str(nl);
            }
            _ => {
                let names: Vec<String> = (0..width).map(|k| format!(" t{k} ")).collect();
                text.push_str(&names.join(","));
                text.push_str(nl);
            }
        }
        for r in 0..rows {
            if width == 1 && r > 0 && rng.below(8) == 0 {
                text.push_str(if rng.below(2) == 0 { "" } else { " \t" });
                text.push_str(nl);
            }
            let row: Vec<String> = (0..width).map(|_| cells(&mut rng)).collect();
            text.push_str(&row.join(","));
            if r + 1 < rows || rng.below(2) == 0 {
                text.push_str(nl);
            }
        }
        if rng.below(4) == 0 {
            text.push_str(nl);
            text.push_str(nl);
        }
        for header in [Header::Detect, Header::Present] {
            if same_as_reference(text.as_bytes(), "gen.csv", header) {
                fast += 1;
            }
        }
        let _ = case;
    }
    assert!(fast > 600, "the fast reader took {fast} of 800 files");
}

/// The shapes named in the issue, one by one: which reader takes them, and
/// the same answer either way.
#[test]
fn shapes_and_refusals() {
    let cases: &[(&str, bool)] = &[
        ("5", true),
        ("5\n", true),
        ("x\n5", true),
        ("x,y\n1,2\n3,4\n", true),
        ("x,y\r\n1,2\r\n3,4\r\n", true),
        ("\u{feff}x,y\n1,2\n", true),
        ("\n\n  \nx,y\n1,2\n\n\n", true),
        ("y\n1\n\n3\n", true),
        ("y\n1\n \t\n3\n\n", true),
        ("\"x\",\"y\"\n1,2\n", true),
        ("\"a,b\"\n1\n\n2\n", false),
        ("x,y\n1,\"2\"\n", false),
        ("x,y\n1,\"\"\n", false),
        ("x,y\n1,2\n\n3,4\n", false),
        ("x,y\n1,2\n3\n", false),
        ("x,y\n1,2\n3,4,5\n", false),
        ("x,y\n1,2\n3,abc\n", false),
        ("x,y\n1,2\n3,1e\n", false),
        ("x,y\n1,2\n3,\u{e9}\n", false),
        ("x,y\n1,2\r3,4\n", false),
        ("x,y\n1,2\n3,4\r", false),
        ("1,x\n2,3\n", false),
        ("", false),
        ("\n \n", false),
        ("x,y\n", false),
        ("x,y\n\n\n", false),
        ("\"x\ny\",z\n1,2\n", false),
        ("x,y\n1,2\n3,4\n\u{ff}", false),
        ("x;y\n1;2\n", false),
    ];
    let dir = std::env::temp_dir();
    for (i, &(text, fast)) in cases.iter().enumerate() {
        for header in [Header::Detect, Header::Present] {
            let took = same_as_reference(text.as_bytes(), "s.csv", header);
            if header == Header::Detect {
                assert_eq!(took, fast, "{text:?}");
            }
            // Through a file, as the commands read it: the same table, or
            // the same one-line error, as the reference reader.
            let p = dir.join(format!("numlab-shape-{}-{i}.csv", std::process::id()));
            std::fs::write(&p, text).unwrap();
            let path = p.to_str().unwrap();
            match (Columns::read(path, header), reference::read(path, header)) {
                (Ok(a), Ok(b)) => assert_same_table(&a, &b, text),
                (Err(a), Err(b)) => assert_eq!(a, b, "{text:?}"),
                (a, b) => panic!("{text:?}: {:?} against {:?}", a.err(), b.err()),
            }
            let _ = std::fs::remove_file(&p);
        }
    }
    // A bad cell in a column not asked for is refused all the same.
    let text = b"x,y,z\n1,2,3\n4,5,oops\n";
    let keys = |_: usize| vec!["x".to_string()];
    assert!(scan::read(text, "s.csv", Header::Detect, Some(&keys), 4).is_none());
}

/// A file large enough to be read on every core, cut into chunks of a few
/// hundred rows, and into chunks of one line.
#[test]
fn parallel_chunks() {
    let mut rng = Rng(SEED ^ 3);
    for width in [1, 2, 3] {
        let mut text = String::from(["v\n", "a,b\n", "a,b,c\n"][width - 1]);
        while text.len() < 2 * scan::PARALLEL_FROM {
            let row: Vec<String> = (0..width)
                .map(|_| {
                    let v = f64::from_bits(rng.next());
                    match rng.below(20) {
                        0 => String::new(),
                        1 => "nan".into(),
                        2 => format!("{:.6}", v.clamp(-1e9, 1e9)),
                        3..=9 => {
                            format!("{:.6}", (rng.next() as f64 / u64::MAX as f64 - 0.5) * 100.0)
                        }
                        _ => format!("{v:e}"),
                    }
                })
                .collect();
            text.push_str(&row.join(","));
            text.push_str(if rng.below(2) == 0 { "\n" } else { "\r\n" });
        }
        assert!(same_as_reference_at(
            text.as_bytes(),
            "par.csv",
            Header::Detect,
            &[1, 997, 4096, scan::CHUNK]
        ));
    }
}

/// The public reader on real files: mapped (large) and read (small), with
/// the same tables and errors as the reference reader.
#[test]
fn mapped_and_read_files() {
    let dir = std::env::temp_dir();
    let mut rng = Rng(SEED ^ 2);
    let mut text = String::from("t,v\n");
    for i in 0..20_000 {
        let v = (rng.next() as f64 / u64::MAX as f64 - 0.5) * 1e3;
        text.push_str(&format!("{i},{v:.6}\n"));
    }
    let p = dir.join(format!("numlab-scan-{}-big.csv", std::process::id()));
    std::fs::write(&p, &text).unwrap();
    let path = p.to_str().unwrap();
    let t = Columns::read_keys(path, Header::Detect, &|_| vec!["v".into()]).unwrap();
    let r = reference::read(path, Header::Detect).unwrap();
    assert_same_table(&t, &r, "big file");
    assert!(!t.parsed[0] && t.parsed[1]);
    assert!(t.column("t", "--x").unwrap_err().contains("not read"));
    text.push_str("1,2,3\n");
    std::fs::write(&p, &text).unwrap();
    assert_eq!(
        Columns::read(path, Header::Detect).unwrap_err(),
        reference::read(path, Header::Detect).unwrap_err()
    );
    let _ = std::fs::remove_file(&p);
    let missing = dir.join("numlab-scan-no-such-file.csv");
    let missing = missing.to_str().unwrap();
    assert_eq!(
        Columns::read(missing, Header::Detect).unwrap_err(),
        reference::read(missing, Header::Detect).unwrap_err()
    );
}

/// The eight-at-a-time digit runs give what the byte loop gives: every run
/// length from 0 to 20, ending at each kind of byte (or at the end of the
/// slice), starting anywhere in the word, with a carried mantissa.
#[test]
fn digit_runs_are_the_byte_loop() {
    fn bytewise(b: &[u8], mut i: usize, mut mant: u64) -> (u64, usize) {
        while i < b.len() && b[i].is_ascii_digit() {
            mant = mant.wrapping_mul(10).wrapping_add((b[i] - b'0') as u64);
            i += 1;
        }
        (mant, i)
    }
    let mut rng = Rng(SEED ^ 0xd161);
    // Terminators: the bytes next to '0'..='9' in ASCII, separators, the
    // bytes whose `^ b'0'` sets the high bit or carries, and none.
    let ends: [&[u8]; 12] = [
        b"/", b":", b".", b",", b"\n", b"e", b" ", b"\xff", b"\x80", b"\xba", b"\x00", b"",
    ];
    let mut checked = 0;
    for len in 0..=20 {
        for end in ends {
            for lead in 0..9 {
                for tail in [0usize, 1, 7, 9] {
                    let mut b: Vec<u8> = (0..lead).map(|_| b'x').collect();
                    b.extend((0..len).map(|_| b'0' + rng.below(10) as u8));
                    b.extend_from_slice(end);
                    b.extend((0..tail).map(|_| b'0' + rng.below(10) as u8));
                    for carried in [0u64, 7, u64::MAX / 3] {
                        assert_eq!(
                            scan::digit_run(&b, lead, carried),
                            bytewise(&b, lead, carried),
                            "{:?} from {lead}",
                            String::from_utf8_lossy(&b)
                        );
                        checked += 1;
                    }
                }
            }
        }
    }
    assert_eq!(checked, 21 * 12 * 9 * 4 * 3);
}

/// A one-column file streams the values the whole-file reader gives, blank
/// lines between rows included (NaN), trailing ones dropped, at block and
/// chunk sizes that cut lines anywhere.
#[test]
fn one_column_streams_as_read() {
    let dir = std::env::temp_dir();
    let mut rng = Rng(SEED ^ 3);
    for (name, header) in [("with-header", true), ("no-header", false)] {
        let mut text = String::from(if header { "\u{feff}volts\r\n" } else { "\n\n" });
        for i in 0..5_000 {
            let v = (rng.next() as f64 / u64::MAX as f64 - 0.5) * 1e3;
            match i % 611 {
                3 => text.push_str("\r\n"),
                4 => text.push_str("\n\n\n"),
                5 => text.push_str("nan\n"),
                _ => text.push_str(&format!("{v:.6}\r\n")),
            }
        }
        text.push_str("\n\n");
        let p = dir.join(format!("numlab-scan-{}-{name}.csv", std::process::id()));
        std::fs::write(&p, &text).unwrap();
        let path = p.to_str().unwrap();
        let want = Columns::read(path, Header::Detect).unwrap().values[0].clone();
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        for (block, chunk) in [(1, 1), (7, 3), (100, 1000), (1 << 20, 1 << 20)] {
            let mut got = Vec::new();
            let keys = |_: usize| vec!["0".to_string()];
            let s = scan::stream(
                path,
                Header::Detect,
                &keys,
                block,
                chunk,
                &|cols| cols,
                &mut |cols: Vec<Vec<f64>>| {
                    got.extend_from_slice(&cols[0]);
                    Some(())
                },
            )
            .unwrap();
            assert_eq!(s.rows, want.len(), "{name} {block} {chunk}");
            assert_eq!(bits(&got), bits(&want), "{name} {block} {chunk}");
        }
        let _ = std::fs::remove_file(&p);
    }
}

/// Every cell the quick path of a row reads, the plain path reads with the
/// same value (bit for bit, that of `str::parse`) and ends at the same
/// index; and the quick path takes the common cells (six decimals, short
/// integers), whatever follows them.
#[test]
fn quick_numbers_are_plain_numbers() {
    let mut rng = Rng(SEED ^ 0x9c1c);
    let (mut quick, mut tried) = (0, 0);
    for _ in 0..100_000 {
        let v = (rng.next() as f64 / u64::MAX as f64 - 0.5) * 10f64.powi(rng.below(21) as i32 - 10);
        let mut cells = printings(v, &mut rng);
        cells.push(format!("{:.*}", rng.below(10), v));
        cells.push(format!("{}", rng.next() % 10u64.pow(rng.below(20) as u32)));
        cells.push(format!("{}.", rng.below(1000)));
        cells.push(format!(".{}", rng.below(1000)));
        cells.push(["", "-", "+", ".", "-.", "nan", "1.2.3", "--1", "0x1"][rng.below(9)].into());
        for cell in cells {
            // What follows the cell: a separator, an exponent, digits of
            // another cell, or the end of the chunk; sometimes short.
            let tail = ["", ",", "\n", "\r\n", "e5", "E-2", ",1.25\n", "x", " "][rng.below(9)];
            let pad = ["", "0", "1234567"][rng.below(3)];
            let text = format!("{cell}{tail}{pad}");
            let lead = rng.below(2);
            let bytes = [&b"7"[..lead], text.as_bytes()].concat();
            let [q, p] = scan::quick_and_plain(&bytes, lead);
            tried += 1;
            if let Some((qv, qi)) = q {
                quick += 1;
                let (pv, pi) = p.unwrap_or_else(|| panic!("plain declined {text:?}"));
                assert!(same(qv, pv), "{text:?}: {qv:e} != {pv:e}");
                assert_eq!(qi, pi, "{text:?}");
                let s = std::str::from_utf8(&bytes[lead..qi]).unwrap();
                assert!(same(qv, s.parse().unwrap()), "{text:?}");
            }
        }
    }
    assert!(quick > tried / 8, "quick path: {quick} of {tried}");
    for cell in [
        "-0.123456,",
        "1.234567\n",
        "12,",
        "-3\r\n",
        "0.5\n",
        "+7.25,",
    ] {
        let bytes = format!("{cell}00000000");
        let [q, p] = scan::quick_and_plain(bytes.as_bytes(), 0);
        assert!(q.is_some(), "{cell:?}");
        assert_eq!(q, p, "{cell:?}");
    }
}
