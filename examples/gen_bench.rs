//! Generates a `rank` benchmark input: N company profiles as JSONL, each scope about 150
//! characters drawn from a mix of plan-sector and traditional-industry vocabulary (about half
//! targets), deterministic for a given seed.
//!
//! ```sh
//! cargo run --release --example gen_bench -- 1000000 > big.jsonl      # seed 42
//! cargo run --release --example gen_bench -- 100000 7 > small.jsonl   # seed 7
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

fn main() {
    let mut args = std::env::args().skip(1);
    let n: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(42);
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut out = BufWriter::new(std::io::stdout().lock());
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
    let _ = out.flush();
}
