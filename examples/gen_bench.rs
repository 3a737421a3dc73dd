//! Generates a `rank` benchmark input as JSONL, deterministic for a given seed. Three mixes:
//!
//! - `synthetic` (the default, the first bench): scopes of about 150 characters drawn from a
//!   fixed list of plan-sector and traditional-industry phrases, half targets, all simplified;
//! - `real`: profiles recombined from fragments of the real company texts of labeled JSONL files
//!   (`--source PATH`, repeatable: `../shared/eval/real-dev.jsonl`, `tests/data/dev.jsonl`), with
//!   registration boilerplate, credit codes (60% valid, 1% invalid), name and credit-code repeats
//!   (4% and 2% of rows); each profile in one script: 65% simplified, 20% English, 15% traditional
//!   (Taiwan vocabulary, OpenCC `s2twp`);
//! - `trad`: the same, every profile Chinese in traditional script.
//!
//! Repeats are made so that exact-key deduplication (`dedup_key`) and `rank`'s own agree: a name
//! repeat keeps the first row's code or takes a new one (never drops or adds one), and names that
//! are not repeats have a 字号 of their own (derived from the row number).
//!
//! ```sh
//! cargo run --release --example gen_bench -- 1000000 > big.jsonl                  # synthetic, seed 42
//! cargo run --release --example gen_bench -- 100000 7 > small.jsonl               # seed 7
//! cargo run --release --example gen_bench -- 100000 --mix real \
//!     --source ../shared/eval/real-dev.jsonl --source tests/data/dev.jsonl > real.jsonl
//! ```

use std::io::{BufWriter, Write};

const PLACES: &[&str] = &["温州", "瓯海", "鹿城", "龙湾", "瑞安", "乐清", "永嘉", "平阳"];
/// Characters a 字号 is drawn from (two of them): ~230,000 distinct names with the places and
/// kinds, so a long list holds few repeats, as real exports do.
const NAME_CHARS: &[&str] = &[
    "瓯", "越", "华", "盛", "宏", "达", "北", "斗", "云", "呼", "金", "恒", "拓", "五", "马", "江", "心", "雁", "荡",
    "东", "海", "鑫", "泰", "隆", "丰", "源", "嘉", "和", "信", "诚", "博", "远", "新", "创", "中", "兴", "安", "康",
    "明", "辉", "正", "德", "永", "利", "锦", "瑞", "通", "汇", "天", "宇", "星", "光", "晨", "阳", "峰", "林", "佳",
    "美", "力", "图",
];
const KINDS: &[&str] = &[
    "科技",
    "电子商务",
    "鞋业",
    "阀门",
    "文化传媒",
    "供应链",
    "新能源",
    "餐饮管理",
];

/// Target-sector phrases (digital economy, e-sports, logistics, recycling, finance …).
const TARGET: &[&str] = &[
    "大数据服务",
    "云计算装备技术服务",
    "物联网技术研发",
    "区块链技术服务",
    "人工智能应用软件开发",
    "电子竞技赛事运营",
    "网络直播技术服务",
    "数字内容制作服务",
    "动漫游戏开发",
    "工业互联网平台",
    "智能制造系统集成",
    "供应链管理服务",
    "冷链物流",
    "跨境电子商务",
    "融资租赁业务",
    "股权投资管理",
    "检验检测服务",
    "知识产权服务",
    "废旧动力电池回收利用",
    "再生资源回收",
    "共享单车运营",
    "民宿服务",
    "夜间文旅演艺",
    "创意设计服务",
    "虚拟现实设备制造",
];
/// Traditional industries outside the plan.
const OTHER: &[&str] = &[
    "皮鞋制造",
    "鞋材加工",
    "阀门制造",
    "泵及真空设备制造",
    "服装批发",
    "建筑材料销售",
    "房地产开发经营",
    "餐饮服务",
    "住宿服务",
    "道路货物运输",
    "塑料制品制造",
    "眼镜架制造",
    "低压电器制造",
    "汽车零部件加工",
    "五金产品批发",
    "日用百货销售",
    "家具销售",
    "典当业务",
];
const TAIL: &str = "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）";

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

/// Which list to generate.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mix {
    Synthetic,
    Real,
    Traditional,
}

fn usage(msg: &str) -> ! {
    eprintln!("gen_bench: {msg}");
    eprintln!("usage: gen_bench [N] [SEED] [--mix synthetic|real|trad] [--source LABELED.jsonl]...");
    std::process::exit(2)
}

fn main() {
    let mut n: u64 = 100_000;
    let mut seed: u64 = 42;
    let mut mix = Mix::Synthetic;
    let mut sources: Vec<String> = Vec::new();
    let mut positional = 0;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--mix" => {
                mix = match args.next().as_deref() {
                    Some("synthetic") => Mix::Synthetic,
                    Some("real") => Mix::Real,
                    Some("trad") => Mix::Traditional,
                    other => usage(&format!("unknown mix {other:?}")),
                }
            }
            "--source" => sources.push(args.next().unwrap_or_else(|| usage("--source needs a path"))),
            _ => {
                let v: u64 = a.parse().unwrap_or_else(|_| usage(&format!("not a number: {a}")));
                match positional {
                    0 => n = v,
                    1 => seed = v,
                    _ => usage("too many numbers"),
                }
                positional += 1;
            }
        }
    }
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut out = BufWriter::new(std::io::stdout().lock());
    if mix == Mix::Synthetic {
        synthetic(n, &mut rng, &mut out);
    } else {
        if sources.is_empty() {
            usage("--mix real and --mix trad need --source LABELED.jsonl");
        }
        let pools = Pools::load(&sources);
        real(n, mix, &pools, &mut rng, &mut out);
    }
    let _ = out.flush();
}

fn synthetic(n: u64, rng: &mut Rng, out: &mut impl Write) {
    for i in 0..n {
        let target = rng.next().is_multiple_of(2);
        let name = format!(
            "{}{}{}{}有限公司",
            rng.pick(PLACES),
            rng.pick(NAME_CHARS),
            rng.pick(NAME_CHARS),
            rng.pick(KINDS)
        );
        let mut scope = String::from("一般项目：");
        while scope.chars().count() < 150 - TAIL.chars().count() {
            let pool = if target && !rng.next().is_multiple_of(3) {
                TARGET
            } else {
                OTHER
            };
            scope.push_str(rng.pick(pool));
            scope.push('；');
        }
        scope.push_str(TAIL);
        // Half the rows carry a registered capital, as company-data exports do.
        let line = if rng.next().is_multiple_of(2) {
            let capital = format!("{}万元", 10 + rng.next() % 5000);
            serde_json::json!({"id": format!("b{i}"), "name": name, "scope": scope, "registered_capital": capital})
        } else {
            serde_json::json!({"id": format!("b{i}"), "name": name, "scope": scope})
        };
        if writeln!(out, "{line}").is_err() {
            return;
        }
    }
}

/// Kinds of business for generated Chinese names (the part after the 字号).
const REAL_KINDS: &[&str] = &[
    "科技",
    "信息技术",
    "网络科技",
    "电子商务",
    "文化传媒",
    "供应链管理",
    "鞋业",
    "阀门",
    "电气",
    "贸易",
    "物流",
    "再生资源",
    "检测技术",
    "融资租赁",
    "旅游开发",
    "餐饮管理",
    "智能装备",
    "数字科技",
    "影视文化",
    "实业",
];
const EN_KINDS: &[&str] = &[
    "Technology Co., Ltd.",
    "Digital Ltd.",
    "Logistics Co., Ltd.",
    "Trading Co., Ltd.",
    "Culture Media Co., Ltd.",
    "Holdings Limited",
    "Industrial Co., Ltd.",
    "Network Technology Inc.",
];
const GENERAL: &str = "一般项目：";
const LICENSED: &str = "许可项目：第二类增值电信业务；（依法须经批准的项目，经相关部门批准后方可开展经营活动，具体经营项目以审批结果为准）";

/// Scope fragments of the labeled files: Chinese ones in simplified script (traditional sources
/// converted), English ones apart.
struct Pools {
    /// Per source profile: its fragments, and whether it is English.
    profiles: Vec<(Vec<String>, bool)>,
    zh: Vec<usize>,
    en: Vec<usize>,
    industries: Vec<String>,
    s2twp: ferrous_opencc::OpenCC,
}

impl Pools {
    fn load(paths: &[String]) -> Pools {
        let mut pools = Pools {
            profiles: Vec::new(),
            zh: Vec::new(),
            en: Vec::new(),
            industries: Vec::new(),
            s2twp: ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::S2twp)
                .unwrap_or_else(|e| usage(&format!("OpenCC s2twp: {e}"))),
        };
        for path in paths {
            let text = std::fs::read_to_string(path).unwrap_or_else(|e| usage(&format!("{path}: {e}")));
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                    continue;
                };
                let scope = v["scope"].as_str().unwrap_or_default();
                let en = v["lang"].as_str() == Some("en");
                let mut simplified = String::new();
                leadmatch::text::to_simplified(scope, &mut simplified);
                let fragments: Vec<String> = simplified
                    .split(|c| matches!(c, '；' | ';' | '。' | '\n') || (!en && c == '，'))
                    .map(|f| f.trim().trim_start_matches(GENERAL).trim())
                    .filter(|f| f.chars().count() >= 2)
                    .map(String::from)
                    .collect();
                if fragments.is_empty() {
                    continue;
                }
                if let Some(ind) = v["industry"].as_str() {
                    pools.industries.push(ind.to_string());
                }
                let i = pools.profiles.len();
                if en {
                    pools.en.push(i)
                } else {
                    pools.zh.push(i)
                }
                pools.profiles.push((fragments, en));
            }
        }
        if pools.zh.is_empty() {
            usage("no Chinese profiles in the sources");
        }
        pools
    }
}

/// A 字号 of its own for row `i`. Chinese: four characters, the base-60 digits of a scrambled
/// `i` (unique below 60⁴ rows). English: nine random letters (rank's near-name rule would merge
/// English names that differ by a letter or two; random ones are rarely that close, and
/// [`EnglishNames`] draws again when they are).
fn unique_core(i: u64, english: bool, rng: &mut Rng) -> String {
    if english {
        let mut s = String::new();
        for k in 0..9 {
            let c = (b'a' + (rng.next() % 26) as u8) as char;
            s.push(if k == 0 { c.to_ascii_uppercase() } else { c });
        }
        s
    } else {
        let mut x = i.wrapping_mul(7919) % 12_960_000;
        let mut s = String::new();
        for _ in 0..4 {
            s.push_str(NAME_CHARS[(x % 60) as usize]);
            x /= 60;
        }
        s
    }
}

/// A valid unified social credit code (GB 32100-2015) derived from `x`.
fn credit_code(x: u64) -> String {
    let charset: Vec<char> = leadmatch::lead::CREDIT_CODE_CHARSET.chars().collect();
    let mut body = String::from("91330300");
    let mut y = x.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    for _ in 0..8 {
        body.push(charset[(y % 31) as usize]);
        y /= 31;
    }
    let org = leadmatch::lead::org_check_char(&body[8..16]).unwrap_or('0');
    body.push(org);
    let check = leadmatch::lead::credit_check_char(&body).unwrap_or('0');
    body.push(check);
    body
}

/// The English names generated so far, by near-name block, to keep new ones apart: at 200,000
/// rows a few random 字号 pairs were close enough (e.g. `Uabwibqqv` and `Uabwyyovb Culture Media`)
/// for rank's near-name rule, which an exact-key deduplication (`dedup_key`, Spark) does not apply.
#[derive(Default)]
struct EnglishNames {
    /// Block key → (core, body) of each name in it.
    blocks: std::collections::HashMap<String, Vec<(String, String)>>,
}

impl EnglishNames {
    /// Records `name` and returns true when no earlier name is near it by rank's rule (same
    /// block; the same 字号, or English ones of 5+ letters `core_similarity` alike; names
    /// `dedup_similarity` alike); places and codes are not looked at, so this is stricter.
    fn add_if_apart(&mut self, name: &str) -> bool {
        let n = leadmatch::lead::parse_company_name(name);
        let Some(block) = leadmatch::lead::block_key(&n) else {
            return true;
        };
        let t = leadmatch::catalog::NameMatching::default();
        let block = self.blocks.entry(block).or_default();
        let near = block.iter().any(|(core, body)| {
            (*core == n.core
                || (n.core.chars().count() >= 5
                    && n.core.is_ascii()
                    && strsim::jaro_winkler(core, &n.core) >= t.core_similarity))
                && strsim::jaro_winkler(body, &n.body) >= t.dedup_similarity
        });
        if !near {
            block.push((n.core, n.body));
        }
        !near
    }
}

/// One generated company kept for later repeats: name and credit code.
#[derive(Clone)]
struct Seen {
    name: String,
    code: Option<String>,
}

fn real(n: u64, mix: Mix, pools: &Pools, rng: &mut Rng, out: &mut impl Write) {
    let mut recent: Vec<Seen> = Vec::with_capacity(4096);
    let mut english_names = EnglishNames::default();
    for i in 0..n {
        let roll = rng.next() % 100;
        let english = mix == Mix::Real && (65..85).contains(&roll) && !pools.en.is_empty();
        let traditional = mix == Mix::Traditional || roll >= 85;
        let group = if english { &pools.en } else { &pools.zh };
        let base = group[(rng.next() % group.len() as u64) as usize];
        // The base profile's own fragments (a random run of them), then a few of others'.
        let (own, _) = &pools.profiles[base];
        let start = (rng.next() % own.len() as u64) as usize;
        let take = 1 + (rng.next() % (own.len() - start) as u64) as usize;
        let mut parts: Vec<&str> = own[start..start + take].iter().map(String::as_str).collect();
        for _ in 0..rng.next() % 4 {
            let other = &pools.profiles[group[(rng.next() % group.len() as u64) as usize]].0;
            parts.push(&other[(rng.next() % other.len() as u64) as usize]);
        }
        let mut scope = String::new();
        if english {
            scope.push_str(&parts.join("; "));
            if rng.next().is_multiple_of(4) {
                scope.push_str(". Registered in Wenzhou, Zhejiang.");
            }
        } else {
            let boiler = rng.next() % 10;
            if boiler < 6 {
                scope.push_str(GENERAL);
            }
            scope.push_str(&parts.join("；"));
            if boiler < 2 {
                scope.push('；');
                scope.push_str(LICENSED);
            }
            if boiler < 6 {
                scope.push_str(TAIL);
            } else {
                scope.push('。');
            }
        }
        // The name and code: a repeat of an earlier company, or a new one.
        let kind = rng.next() % 100;
        let seen = if kind < 4 && !recent.is_empty() {
            let mut s = recent[(rng.next() % recent.len() as u64) as usize].clone();
            // A valid code stays or changes (a second registration under the same name); an
            // invalid or missing one stays as it is (rank would match it by name).
            let valid = s
                .code
                .as_deref()
                .is_some_and(|c| leadmatch::lead::check_credit_code(c).is_valid());
            if valid && rng.next().is_multiple_of(2) {
                s.code = Some(credit_code(rng.next()));
            }
            s
        } else {
            let name = if english {
                let mut name = format!("{} {}", unique_core(i, true, rng), rng.pick(EN_KINDS));
                // Redraws from a generator of their own: the rows after them are unchanged.
                let mut redraw = Rng(i.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
                while !english_names.add_if_apart(&name) {
                    let kind = name.split_once(' ').map_or("", |(_, k)| k).to_string();
                    name = format!("{} {kind}", unique_core(i, true, &mut redraw));
                }
                name
            } else {
                format!(
                    "{}{}{}有限公司",
                    rng.pick(PLACES),
                    unique_core(i, false, rng),
                    rng.pick(REAL_KINDS)
                )
            };
            let code = if (4..6).contains(&kind) {
                // A credit-code repeat: an earlier valid code under a new name.
                recent.iter().rev().find_map(|s| s.code.clone())
            } else if kind < 66 {
                Some(credit_code(rng.next()))
            } else if kind < 67 {
                Some(format!("91330300MA2H{:06}", rng.next() % 1_000_000))
            } else {
                None
            };
            let s = Seen { name, code };
            if recent.len() < 4096 {
                recent.push(s.clone());
            } else {
                recent[(rng.next() % 4096) as usize] = s.clone();
            }
            s
        };
        let (name, scope) = if traditional {
            (pools.s2twp.convert(&seen.name), pools.s2twp.convert(&scope))
        } else {
            (seen.name, scope)
        };
        let mut obj = serde_json::Map::new();
        obj.insert("id".into(), format!("r{i}").into());
        obj.insert("name".into(), name.into());
        obj.insert("scope".into(), scope.into());
        if let Some(code) = seen.code {
            obj.insert("credit_code".into(), code.into());
        }
        if rng.next().is_multiple_of(2) {
            obj.insert(
                "registered_capital".into(),
                format!("{}万元", 10 + rng.next() % 5000).into(),
            );
        }
        if !pools.industries.is_empty() && rng.next().is_multiple_of(10) {
            let ind = &pools.industries[(rng.next() % pools.industries.len() as u64) as usize];
            obj.insert("industry".into(), ind.clone().into());
        }
        if writeln!(out, "{}", serde_json::Value::Object(obj)).is_err() {
            return;
        }
    }
}
