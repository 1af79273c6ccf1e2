"""Word pools for names and free-text terms; plausible, not real, companies and people."""
from __future__ import annotations

REGIONS = ("华东", "华南", "华北", "西南")
REGION_SHARE = (0.35, 0.25, 0.22, 0.18)
HEAD_OFFICE = "总部"

# Ordered by how common they are, so that the weights below give a lifelike mix.
FAMILY_NAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_NAMES = (
    "伟", "芳", "娜", "敏", "静", "磊", "军", "洋", "勇", "艳", "杰", "涛", "超", "鹏", "斌", "婷", "雪", "琳",
    "志强", "建华", "晓明", "海燕", "丽娟", "俊杰", "文博", "思远", "雨婷", "佳怡", "子轩", "浩然", "欣怡", "梓涵",
    "宇航", "建国", "秀兰", "国强", "丹丹", "晓东", "春梅", "志刚", "红霞", "立新", "玉兰", "海涛", "文静", "永强",
    "小红", "明辉", "亚男", "天宇", "嘉欣", "一鸣", "晨阳", "振华", "慧敏", "德胜", "雅琪", "少华", "美玲", "家豪",
    "博文", "诗涵", "建军", "新宇", "若曦", "泽宇", "凤英", "长江", "卫东", "学兵", "桂芳", "梦琪", "雨轩", "宏伟",
)

CITIES = {
    "华东": ("上海", "苏州", "杭州", "南京", "宁波", "无锡", "常州", "合肥", "济南", "青岛", "温州", "嘉兴", "南通",
             "绍兴", "烟台", "厦门", "泉州", "福州"),
    "华南": ("广州", "深圳", "东莞", "佛山", "珠海", "中山", "惠州", "江门", "南宁", "柳州", "海口", "汕头"),
    "华北": ("北京", "天津", "石家庄", "太原", "唐山", "保定", "廊坊", "沧州", "呼和浩特", "邯郸"),
    "西南": ("成都", "重庆", "昆明", "贵阳", "绵阳", "德阳", "宜宾", "遵义", "南充"),
}
BRAND_HEADS = "华恒鼎汇宏博众天瑞金盛通远凯嘉永东中新精立达创信泰安明德隆昌"
BRAND_TAILS = "创达盛通远源诚合丰阳泰航德信升科力锐拓成兴宇邦威峰尔华辰川捷"
BRAND_MIDDLES = ("", "", "", "智能", "自动化", "精密", "电气", "机电", "工业", "数控", "动力", "新材料")
COMPANY_KINDS = ("科技", "机械", "电子", "制造", "设备", "实业", "装备")
COMPANY_FORMS = ("有限公司", "有限公司", "有限公司", "股份有限公司")

INDUSTRIES = ("汽车零部件", "电子制造", "食品饮料", "医药化工", "新能源", "纺织服装", "物流仓储", "金属加工",
              "塑料橡胶", "家电制造", "工程机械", "半导体")

# Chinese punctuation keeps the terms free of CSV delimiters.
PROPOSAL_ITEMS = ("数控加工中心2台及配套夹具", "自动化装配线改造（含PLC控制系统）", "工业机器人工作站1套",
                  "精密检测设备及年度校准服务", "伺服电机与驱动器批量供货")
DELIVERY_TERMS = ("厂家直送，现场安装调试", "分批交付", "物流配送，远程调试", "客户自提", "项目制交付，含操作培训")
PAYMENT_TERMS = ("预付30%，发货前付60%，验收后付10%", "货到验收后一次付清", "月结60天", "分三期付款",
                 "银行承兑汇票（6个月）")
AFTER_SALES_TERMS = ("质保1年，7×24小时响应", "质保2年，每季度巡检", "质保3年，含操作培训", "质保1年，远程技术支持",
                     "质保18个月，备件优先供应")

# Which channels each step is plausibly logged through (data-model channel codes).
CHANNELS = {
    "market_research": ("system", "phone", "online_meeting"),
    "customer_screening": ("system",),
    "first_contact": ("phone", "email", "visit"),
    "needs_analysis": ("visit", "online_meeting", "phone"),
    "proposal_drafted": ("system", "email"),
    "proposal_presented": ("visit", "online_meeting"),
    "negotiation": ("visit", "online_meeting", "phone"),
    "credit_check": ("system",),
    "contract_drafted": ("system",),
    "contract_reviewed": ("system",),
    "finance_review": ("system",),
    "legal_review": ("system",),
    "contract_amended": ("system", "email"),
    "amendment_signed": ("visit", "email"),
    "payment_overdue": ("system",),
    "payment_escalated": ("system", "email"),
    "contract_signed": ("visit", "email"),
    "contract_archived": ("system",),
    "payment_followup": ("phone", "email"),
    "payment_received": ("system",),
    "customer_visit": ("visit", "phone"),
}
