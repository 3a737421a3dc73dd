//! Regional variants: Taiwan and Hong Kong usage in simplified script, mapped to the mainland word.
//!
//! OpenCC converts traditional script phrase by phrase (線上遊戲 → 在线游戏, 數位行銷 → 数字行销), but
//! a word it does not know keeps its regional form in simplified characters (行销, 软体, 资料库),
//! and the catalogue itself holds some Taiwan words in simplified script (数位行销, 线上游戏) that no
//! real traditional input produces. Applying this one table to *both* sides — every catalogue term
//! and every profile, after script conversion — makes the two meet whatever the spelling
//! (issue 13, "normalise both sides the same way"). Entries are whole words of two characters or
//! more, so a mainland text is changed only where it uses the same regional word.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::sync::OnceLock;

/// (regional form in simplified script, mainland form). Longer entries win where they overlap.
pub const VARIANTS: &[(&str, &str)] = &[
    // 数字 / 数位 (digital)
    ("数位", "数字"),
    // 营销 / 行销 (marketing)
    ("行销", "营销"),
    // 软件 / 软体, 硬件 / 硬体
    ("软体", "软件"),
    ("硬体", "硬件"),
    ("韧体", "固件"),
    // 网络 / 网路, 互联网 / 网际网路
    ("网际网路", "互联网"),
    ("网路", "网络"),
    // online
    ("线上", "在线"),
    // mobile / 行动
    ("行动支付", "移动支付"),
    ("行动装置", "移动设备"),
    ("行动通讯", "移动通信"),
    ("行动应用", "移动应用"),
    ("行动网路", "移动网络"),
    ("行动银行", "移动银行"),
    ("行动电话", "手机"),
    // data / information
    ("巨量资料", "大数据"),
    ("大资料", "大数据"),
    ("资料库", "数据库"),
    ("资料中心", "数据中心"),
    ("资料分析", "数据分析"),
    ("资料处理", "数据处理"),
    ("资料科学", "数据科学"),
    ("资讯安全", "信息安全"),
    ("资安", "信息安全"),
    ("资讯科技", "信息技术"),
    ("资讯服务", "信息服务"),
    ("资讯", "信息"),
    // computing
    ("伺服器", "服务器"),
    ("云端", "云"),
    ("程式设计", "程序设计"),
    ("程式", "程序"),
    ("晶片", "芯片"),
    ("积体电路", "集成电路"),
    ("人工智慧", "人工智能"),
    ("智慧型", "智能"),
    ("演算法", "算法"),
    ("物联网路", "物联网"),
    ("区块炼", "区块链"),
    // media and entertainment
    ("影音串流", "流媒体"),
    ("串流", "流媒体"),
    ("部落格", "博客"),
    ("社群媒体", "社交媒体"),
    ("电子竞赛", "电子竞技"),
    // mobility and sharing
    ("计程车", "出租车"),
    ("叫车", "打车"),
    ("分享经济", "共享经济"),
    ("共同工作空间", "联合办公空间"),
    ("共享工作空间", "联合办公空间"),
    ("育成中心", "孵化器"),
    ("新创公司", "初创企业"),
    ("新创", "初创"),
    // commerce and logistics
    ("外送", "外卖"),
    ("宅配", "快递"),
    ("超商", "便利店"),
    ("直播主", "主播"),
    ("云端运算", "云计算"),
    // environment, building and property (Taiwan's Waste Disposal Act: 事業廢棄物 is industrial
    // waste, 一般廢棄物 municipal waste; 營建 construction; 不動產 real estate in Taiwan and Hong Kong)
    ("事业废弃物", "工业固体废物"),
    ("一般废弃物", "生活垃圾"),
    ("回收再利用", "回收利用"),
    ("营建", "建筑"),
    // staffing: 仲介 is Taiwan's 中介 (人力仲介, 房屋仲介)
    ("仲介", "中介"),
    // operation: 營運 is Taiwan's 运营 (線上遊戲營運)
    ("营运", "运营"),
    ("不动产", "房地产"),
];

/// The automaton over the regional forms (leftmost-longest), built once.
fn automaton() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(VARIANTS.iter().map(|v| v.0))
            .expect("the variant table is a valid pattern set")
    })
}

/// `text` with every regional word replaced by its mainland form; unchanged (not copied) when it
/// holds none.
pub fn apply(text: String) -> String {
    let ac = automaton();
    let mut matches = ac.find_iter(&text).peekable();
    if matches.peek().is_none() {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for m in matches {
        out.push_str(&text[last..m.start()]);
        out.push_str(VARIANTS[m.pattern().as_usize()].1);
        last = m.end();
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regional_words_meet_the_mainland_form() {
        assert_eq!(apply("数字行销服务".into()), "数字营销服务");
        assert_eq!(apply("数位行销".into()), "数字营销");
        assert_eq!(apply("线上游戏".into()), "在线游戏");
        assert_eq!(apply("软体开发".into()), "软件开发");
        assert_eq!(apply("区块链技术服务".into()), "区块链技术服务");
        // Taiwan's legal terms of waste and property.
        assert_eq!(apply("处理事业废弃物".into()), "处理工业固体废物");
        assert_eq!(apply("云端运算服务".into()), "云计算服务");
        assert_eq!(apply("不动产经纪".into()), "房地产经纪");
        assert_eq!(apply("人力仲介".into()), "人力中介");
        assert_eq!(apply("线上游戏营运".into()), "在线游戏运营");
    }

    #[test]
    fn every_entry_is_a_word_of_two_characters_or_more() {
        for (from, to) in VARIANTS {
            assert!(from.chars().count() >= 2 && !to.is_empty(), "{from}");
        }
    }
}
