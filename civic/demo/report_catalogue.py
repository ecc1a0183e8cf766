"""The reports demo's catalogue: the categories of 清河市 with their questions, what residents
write and what departments answer, and the reply templates. Data only; ``reports`` creates
them."""

from dataclasses import dataclass

from reports.models import EventKind, QuestionType, RejectReason

from .departments import URBAN_MANAGEMENT


@dataclass(frozen=True)
class Question:
    code: str
    label: str
    label_en: str
    datatype: str
    required: bool = False
    options: str = ""


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    name_en: str
    group: tuple  # (Chinese, English)
    department: str
    sla: tuple  # (hours to accept, hours to resolve)
    keywords: str
    description: str
    description_en: str
    samples: tuple  # what residents write
    fixes: tuple  # what the department writes when it is done
    questions: tuple = ()
    allows_anonymous: bool = True
    sensitive: bool = False
    weight: int = 10  # how often it is reported
    scene: str = "road"  # the demo picture


CITY_LOOKS = ("市容环境", "City appearance")
ROADS = ("道路设施", "Roads and street furniture")
ORDER = ("公共秩序", "Public order")
GREEN = ("园林绿化", "Parks and trees")
WATER = ("供水排水", "Water and drains")

CATEGORIES = [
    CategorySpec(
        "street-light",
        "路灯故障",
        "Street light out",
        ROADS,
        URBAN_MANAGEMENT,
        (48, 120),
        "路灯, 灯不亮, 闪烁, street light, lamp",
        "路灯不亮、闪烁、白天常亮或灯杆损坏。",
        "A street light that is out, flickers, stays on by day, or has a damaged pole.",
        (
            "这一段路灯晚上全都不亮，走路很黑，老人孩子不安全。",
            "路灯一直闪烁，晚上晃眼睛。",
            "路灯白天也一直亮着，浪费电。",
            "灯杆被车撞歪了，灯罩掉在地上。",
            "小区门口的路灯坏了一个多星期了。",
        ),
        (
            "已更换灯具，经夜间巡查照明恢复正常。",
            "线路接触不良已修复，路灯恢复正常。",
            "已更换受损灯杆并恢复照明。",
        ),
        questions=(
            Question(
                "pole_number",
                "灯杆编号（灯杆上的白色标牌）",
                "Pole number (the white plate on the pole)",
                QuestionType.STRING,
            ),
            Question(
                "problem",
                "什么问题？",
                "What is wrong?",
                QuestionType.SINGLE,
                options="off|不亮|Not lit\nflicker|闪烁|Flickering\n"
                "day|白天常亮|On during the day\npole|灯杆损坏|Damaged pole",
            ),
        ),
        weight=14,
        scene="light",
    ),
    CategorySpec(
        "pothole",
        "道路坑洼",
        "Pothole",
        ROADS,
        "municipal-works",
        (24, 72),
        "坑, 坑洼, 路面塌陷, pothole, hole, road",
        "车行道上的坑洼、塌陷和路面破损。",
        "Potholes, sunken or broken road surface on the carriageway.",
        (
            "路中间有一个大坑，电动车经过很危险。",
            "下雨后坑里积水，看不出深浅，已经有人摔倒。",
            "公交站前路面塌陷了一块。",
            "十字路口附近路面坑坑洼洼，车辆绕行容易剐蹭。",
            "井盖周围路面下沉，形成一圈坑。",
        ),
        (
            "已对坑洼进行沥青修补，路面恢复平整。",
            "塌陷路段已开挖回填并重新铺装。",
            "已设置警示并完成冷补料修补。",
        ),
        questions=(
            Question(
                "size",
                "坑有多大？",
                "How big is it?",
                QuestionType.SINGLE,
                required=True,
                options="small|比脸盆小|Smaller than a washbasin\nmedium|约一米|About a metre\n"
                "large|超过一米|Larger than a metre",
            ),
            Question("depth_cm", "大约多深（厘米）？", "About how deep (cm)?", QuestionType.NUMBER),
        ),
        weight=14,
    ),
    CategorySpec(
        "illegal-dumping",
        "乱倒垃圾",
        "Illegal dumping",
        CITY_LOOKS,
        URBAN_MANAGEMENT,
        (12, 48),
        "垃圾, 乱倒, 建筑垃圾, 偷倒, dumping, rubbish, fly-tipping",
        "在路边、绿地或空地上倾倒垃圾、建筑垃圾和大件废弃物。",
        "Rubbish, building waste or bulky items dumped by the road, on green space or waste land.",
        (
            "有人半夜在路边倒了一堆装修垃圾。",
            "绿化带里被扔了旧沙发和床垫。",
            "空地上堆满了生活垃圾，有异味，招苍蝇。",
            "河边有人偷倒建筑垃圾，已经堆了好几车。",
            "小区围墙外面垃圾越堆越多。",
        ),
        (
            "垃圾已全部清运，并在现场张贴禁止倾倒告示。",
            "已清运建筑垃圾，并调取监控追查倾倒人。",
            "大件垃圾已清走，现场已清扫干净。",
        ),
        questions=(
            Question(
                "waste",
                "是什么垃圾？（可多选）",
                "What kind of waste? (choose all that apply)",
                QuestionType.MULTI,
                options="household|生活垃圾|Household waste\nconstruction|建筑垃圾|Building waste\n"
                "furniture|大件家具|Furniture\ngarden|园林垃圾|Garden waste\n"
                "hazardous|危险废物|Hazardous waste",
            ),
        ),
        allows_anonymous=False,
        weight=14,
        scene="rubbish",
    ),
    CategorySpec(
        "graffiti",
        "乱涂乱画和小广告",
        "Graffiti and flyposting",
        CITY_LOOKS,
        URBAN_MANAGEMENT,  # routed to each district's street office
        (48, 168),
        "涂鸦, 小广告, 牛皮癣, 乱贴, graffiti, flyers, posters",
        "墙面、电线杆、桥梁上的涂鸦和张贴的小广告。",
        "Graffiti, stickers and flyers on walls, poles and bridges.",
        (
            "墙上被人用喷漆乱画了一大片。",
            "电线杆上贴满了办证小广告。",
            "地下通道墙面全是涂鸦。",
            "新刷的围墙又被贴了小广告。",
        ),
        (
            "已清除涂鸦并重新粉刷墙面。",
            "小广告已铲除，已加强该路段巡查。",
        ),
        questions=(
            Question(
                "surface",
                "在哪里？",
                "Where is it?",
                QuestionType.SINGLE,
                options="wall|墙面|Wall\npole|电线杆|Pole\nbridge|桥梁或通道|Bridge or underpass\n"
                "other|其他|Somewhere else",
            ),
        ),
        weight=8,
        scene="wall",
    ),
    CategorySpec(
        "blocked-drain",
        "下水道堵塞",
        "Blocked drain",
        WATER,
        "water",
        (6, 24),
        "下水道, 堵塞, 积水, 雨水口, 返臭, drain, flooding, gully",
        "雨水口、下水道堵塞，路面积水或污水外溢。",
        "Blocked gullies and drains, standing water or sewage on the street.",
        (
            "雨水口被树叶堵住了，一下雨整条路都是水。",
            "下水道返臭，污水从井口冒出来。",
            "路口积水一直退不下去。",
        ),
        (
            "已疏通雨水口，积水已排除。",
            "已对管道进行高压冲洗，排水恢复正常。",
        ),
        questions=(
            Question(
                "smell",
                "有没有异味？",
                "Does it smell?",
                QuestionType.SINGLE,
                options="yes|有|Yes\nno|没有|No",
            ),
        ),
        weight=7,
        scene="water",
    ),
    CategorySpec(
        "damaged-sign",
        "交通标志损坏",
        "Damaged road sign",
        ROADS,
        "traffic",
        (48, 120),
        "标志, 路牌, 指示牌, 倒了, sign, road sign",
        "交通标志、路名牌被撞倒、遮挡、褪色或缺失。",
        "Road and street-name signs knocked down, hidden, faded or missing.",
        (
            "限速标志被撞倒在路边。",
            "路名牌被树枝挡住了，看不清。",
            "学校门口的减速慢行标志褪色了。",
        ),
        (
            "已扶正并加固标志杆。",
            "已更换新的标志牌。",
        ),
        weight=5,
        scene="sign",
    ),
    CategorySpec(
        "fallen-tree",
        "树木倒伏",
        "Fallen tree",
        GREEN,
        "parks",  # routed to the street office in 西岭区 and 北塘区
        (2, 12),
        "树, 倒树, 断枝, 台风, tree, branch, fallen",
        "倒伏的树木、折断的大树枝，影响通行或有安全隐患。",
        "Fallen trees and broken large branches that block the way or are dangerous.",
        (
            "大风把行道树刮倒了，压在人行道上。",
            "一根很粗的树枝断了挂在半空，随时会掉下来。",
            "树倒在车道上，车辆无法通行。",
        ),
        (
            "倒伏树木已切割清运，道路恢复通行。",
            "已修剪断枝并对周边树木进行排查。",
        ),
        questions=(
            Question(
                "blocking",
                "有没有挡路？",
                "Is it blocking the way?",
                QuestionType.SINGLE,
                required=True,
                options="road|挡住车道|Blocking the road\n"
                "pavement|挡住人行道|Blocking the pavement\nnone|没有挡路|Not blocking",
            ),
        ),
        weight=5,
        scene="tree",
    ),
    CategorySpec(
        "abandoned-bike",
        "废弃自行车",
        "Abandoned bicycles",
        CITY_LOOKS,
        URBAN_MANAGEMENT,
        (72, 240),
        "单车, 共享单车, 自行车, 僵尸车, bike, bicycle",
        "长期无人使用、占用人行道或绿地的废弃自行车和共享单车。",
        "Bicycles and shared bikes left for a long time on pavements or green space.",
        (
            "人行道上堆了十几辆坏掉的共享单车。",
            "这几辆自行车放在楼下半年没人动过，轮胎都烂了。",
            "共享单车倒在盲道上，挡住了路。",
        ),
        (
            "已通知运营企业清运共享单车，并清理了废弃自行车。",
            "废弃车辆已张贴告示后统一清运。",
        ),
        questions=(
            Question(
                "brand",
                "是什么车？",
                "Whose bikes are they?",
                QuestionType.SINGLE,
                options="hellobike|哈啰|Hellobike\nmeituan|美团|Meituan\nqingju|青桔|Qingju\n"
                "private|私人自行车|Private bikes",
            ),
            Question("count", "大约有几辆？", "About how many?", QuestionType.NUMBER),
        ),
        weight=7,
    ),
    CategorySpec(
        "noise",
        "噪音扰民",
        "Noise nuisance",
        ORDER,
        URBAN_MANAGEMENT,
        (2, 24),
        "噪音, 吵, 施工, 夜间施工, 广场舞, noise, loud",
        "夜间施工、商铺外放、广场舞等噪音扰民。公开显示的位置是大致位置。",
        "Night-time building work, loud shops, square dancing and other noise. The public sees "
        "an approximate location.",
        (
            "工地每天晚上十一点以后还在施工，吵得睡不着。",
            "楼下店铺音响开得很大，一直放到半夜。",
            "广场舞音乐声音太大，影响孩子学习。",
            "凌晨有渣土车经过，噪音很大。",
        ),
        (
            "已现场责令停止夜间施工，并告知投诉渠道。",
            "已约谈商户，音响音量已调低。",
            "已与活动组织者沟通，调整了活动时间和音量。",
        ),
        questions=(
            Question(
                "source",
                "噪音来自哪里？",
                "Where does the noise come from?",
                QuestionType.SINGLE,
                required=True,
                options="construction|施工|Building work\nshop|商铺|A shop or restaurant\n"
                "dancing|广场舞|Square dancing\ntraffic|车辆|Vehicles\nother|其他|Something else",
            ),
            Question(
                "when",
                "通常什么时候发生？",
                "When does it usually happen?",
                QuestionType.DATETIME,
            ),
        ),
        sensitive=True,
        weight=9,
        scene="night",
    ),
    CategorySpec(
        "water-leak",
        "供水管道漏水",
        "Water main leak",
        WATER,
        "water",
        (2, 24),
        "漏水, 爆管, 水管, 冒水, leak, burst pipe, water",
        "路面冒水、供水管道破裂或消火栓漏水。",
        "Water coming up through the road, a burst main or a leaking hydrant.",
        (
            "路面一直在冒清水，应该是水管破了。",
            "消火栓漏水，水流了一地。",
            "人行道砖缝里不停渗水。",
        ),
        (
            "已关阀抢修，破损管道已更换，供水恢复。",
            "消火栓阀门已更换，不再漏水。",
        ),
        questions=(
            Question(
                "flowing",
                "现在还在流水吗？",
                "Is water flowing now?",
                QuestionType.SINGLE,
                required=True,
                options="yes|是|Yes\nno|否|No",
            ),
        ),
        weight=6,
        scene="water",
    ),
    CategorySpec(
        "broken-pavement",
        "人行道破损",
        "Broken pavement",
        ROADS,
        "municipal-works",
        (24, 120),
        "人行道, 地砖, 翘起, 盲道, pavement, sidewalk, tiles",
        "人行道地砖松动、翘起、缺失，盲道损坏。",
        "Loose, raised or missing paving slabs and damaged tactile paving.",
        (
            "人行道地砖松动，一踩就溅水。",
            "盲道砖缺了好几块。",
            "地砖翘起来了，晚上容易绊倒。",
        ),
        (
            "已更换破损地砖并重新铺平。",
            "盲道已修复。",
        ),
        weight=7,
    ),
    CategorySpec(
        "overflowing-bin",
        "垃圾桶满溢",
        "Overflowing bin",
        CITY_LOOKS,
        "sanitation",
        (6, 24),
        "垃圾桶, 满了, 溢出, 没人收, bin, litter",
        "公共垃圾桶、垃圾分类投放点满溢或未及时清运。",
        "Public bins and sorting points that are full or were not emptied.",
        (
            "垃圾桶满了两天没人清运，垃圾掉了一地。",
            "分类投放点的厨余垃圾桶溢出来了，味道很大。",
            "公园门口的垃圾桶一直是满的。",
        ),
        (
            "已清运并清洗垃圾桶，已增加该点位清运频次。",
            "投放点已清理干净。",
        ),
        questions=(
            Question(
                "bin_type",
                "哪种垃圾桶？",
                "Which bin?",
                QuestionType.SINGLE,
                options="recyclable|可回收物|Recyclables\nkitchen|厨余垃圾|Food waste\n"
                "other|其他垃圾|Other waste\nhazardous|有害垃圾|Hazardous waste",
            ),
        ),
        weight=9,
        scene="rubbish",
    ),
    CategorySpec(
        "illegal-parking",
        "违章停车",
        "Illegal parking",
        ORDER,
        "traffic",
        (2, 12),
        "停车, 违停, 占道, 堵路, parking, blocked",
        "占用消防通道、人行道、盲道或公交车站的违章停车。",
        "Cars parked on fire lanes, pavements, tactile paving or bus stops.",
        (
            "有车长期停在消防通道上。",
            "人行道上停满了车，行人只能走机动车道。",
            "公交站台前总有车违停，公交车进不了站。",
        ),
        (
            "已现场贴单处理，车辆已驶离。",
            "已加装隔离桩，防止车辆驶入人行道。",
        ),
        questions=(
            Question(
                "plate",
                "车牌号（如能看到）",
                "Number plate (if you can see it)",
                QuestionType.STRING,
            ),
        ),
        allows_anonymous=False,
        weight=6,
    ),
    CategorySpec(
        "playground",
        "游乐设施损坏",
        "Damaged playground equipment",
        GREEN,
        "parks",
        (24, 120),
        "滑梯, 秋千, 健身器材, 游乐, playground, swing, slide",
        "公园和小区游乐设施、健身器材损坏，可能伤人。",
        "Broken play or fitness equipment in parks and estates that could hurt someone.",
        (
            "秋千的链条断了一根，孩子还在玩，很危险。",
            "滑梯有一块板裂开了，边缘很锋利。",
            "健身器材螺丝松了，晃得厉害。",
        ),
        (
            "已更换损坏部件，设施恢复使用。",
            "已拆除损坏器材并设置围挡，新器材已订购。",
        ),
        questions=(
            Question(
                "equipment",
                "哪个设施坏了？怎么坏的？",
                "Which equipment is broken, and how?",
                QuestionType.TEXT,
            ),
        ),
        weight=4,
        scene="park",
    ),
    CategorySpec(
        "manhole-cover",
        "井盖缺失或破损",
        "Missing or broken manhole cover",
        ROADS,
        "municipal-works",
        (2, 12),
        "井盖, 窨井, 缺失, 破损, manhole, cover",
        "井盖缺失、破碎或松动，有人车坠落危险。",
        "Missing, cracked or rocking manhole covers that people or vehicles could fall into.",
        (
            "井盖不见了，只剩一个黑洞，非常危险！",
            "井盖碎了，车压过去哐哐响。",
            "人行道上的井盖松动，踩上去会翻。",
        ),
        (
            "已设置警示并更换新井盖。",
            "已更换防坠井盖并加装防坠网。",
        ),
        questions=(
            Question("count", "有几个井盖有问题？", "How many covers?", QuestionType.NUMBER),
        ),
        weight=4,
    ),
    CategorySpec(
        "street-vending",
        "占道经营",
        "Street vending on the pavement",
        ORDER,
        URBAN_MANAGEMENT,
        (4, 24),
        "摆摊, 占道, 流动摊贩, 夜市, stall, vendor",
        "在人行道、路口摆摊设点、店外经营，影响通行。",
        "Stalls and shops trading on the pavement or at junctions so that people cannot pass.",
        (
            "早上菜贩在路口摆摊，堵得车过不去。",
            "烧烤摊占了整条人行道，油烟很大。",
            "店铺把货物摆到人行道上。",
        ),
        (
            "已劝导摊贩进入规定的便民疏导点经营。",
            "已责令商户将货物搬回店内，并将持续巡查。",
        ),
        allows_anonymous=False,
        weight=7,
        scene="night",
    ),
]

# Graffiti goes to the district's street office everywhere; fallen trees in these districts
# too (hillside districts whose offices keep a tree crew), elsewhere to the parks bureau.
GRAFFITI = "graffiti"
FALLEN_TREE = "fallen-tree"
FALLEN_TREE_OFFICE_DISTRICTS = ("QH-XL", "QH-BT")


@dataclass(frozen=True)
class TemplateSpec:
    title: str
    for_action: str
    text: str
    text_en: str
    categories: tuple = ()


TEMPLATES = [
    TemplateSpec(
        "受理：已安排现场核实",
        EventKind.UPDATE,
        "您反映的问题已收到，我们已安排工作人员到现场核实，请耐心等待处理结果。",
        "We have received your report and are sending someone to check on site. Thank you for "
        "your patience.",
    ),
    TemplateSpec(
        "进展：已排期维修",
        EventKind.UPDATE,
        "已安排维修队伍，预计三个工作日内完成，施工期间请注意绕行。",
        "A repair crew is scheduled and the work should be done within three working days. "
        "Please take care around the site meanwhile.",
    ),
    TemplateSpec(
        "办结：问题已处理",
        EventKind.RESOLVED,
        "您反映的问题已处理完毕，感谢您对城市管理的支持！如仍有问题，可在14天内申请重办。",
        "The problem you reported has been dealt with. Thank you for helping look after the "
        "city! If it is not fixed, you can ask us to reopen it within 14 days.",
    ),
    TemplateSpec(
        "办结：垃圾已清运",
        EventKind.RESOLVED,
        "现场垃圾已全部清运，并已加强该点位的巡查和清运频次。",
        "All the rubbish has been taken away, and the spot will be checked and cleared more often.",
        ("illegal-dumping", "overflowing-bin"),
    ),
    TemplateSpec(
        "办结：路灯已修复",
        EventKind.RESOLVED,
        "故障路灯已修复，经夜间巡查照明恢复正常。",
        "The street light has been repaired and was checked working at night.",
        ("street-light",),
    ),
    TemplateSpec(
        "驳回：不属于本市职责",
        EventKind.REJECTED,
        "经核实，该问题位于物业管理区域内，不属于市政管理范围，请联系小区物业处理。",
        "This is on privately managed property, not the city's: please contact the estate's "
        "management office.",
    ),
    TemplateSpec(
        "驳回：信息不足",
        EventKind.REJECTED,
        "根据现有信息无法找到问题位置，请补充照片或详细地址后重新提交。",
        "We could not find the problem from the information given. Please report it again "
        "with a photo or a more precise address.",
    ),
    TemplateSpec(
        "驳回：现场无问题",
        EventKind.REJECTED,
        "工作人员到现场核实，未发现所反映的问题。如问题再次出现，欢迎随时反映。",
        "Our staff checked on site and did not find the problem. Please report it again if "
        "it comes back.",
    ),
    TemplateSpec(
        "驳回：违反使用规则",
        EventKind.REJECTED,
        "该内容违反平台使用规则，不予受理。",
        "This content breaks the platform's rules and will not be handled.",
    ),
]
REJECT_TEMPLATE = {
    RejectReason.NOT_OURS: "驳回：不属于本市职责",
    RejectReason.INSUFFICIENT: "驳回：信息不足",
    RejectReason.NOT_A_PROBLEM: "驳回：现场无问题",
    RejectReason.ABUSIVE: "驳回：违反使用规则",
}
