"""Demo data for the reports app in 清河市: categories with their questions and routing, response
templates, more demo residents, and about three hundred reports in every state.

Runs after the areas, departments and accounts demos. What exists is left alone: categories and
templates are matched by code and title, residents by email, and reports by their client request
id (``demo-0001`` …), so a second run creates nothing.

Every report is filed and moved through ``reports.services`` by the actor who would do it: the
reporter, the demo staff of its department (the demo's dispatcher, handler and supervisor belong
to every demo department) or the platform itself (``SYSTEM``) for a department without them. The
services stamp everything with the current time; afterwards the timestamps of the rows they made
(reports, timeline events, supports, photos) are moved into the past with plain UPDATEs, so that
the reports spread over the last two months and some of them are overdue; the services' own
sweep then escalates and closes them. Editing timestamps behind the services' back is acceptable
for demo data only.

The plan comes from a fixed random seed, so two fresh databases get the same reports.
"""

import io
import math
import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from PIL import Image, ImageDraw
from shapely.geometry import Point

from civic.accounts.demo import DEMO_PASSWORD
from civic.accounts.models import User
from civic.accounts.services import on_signed_up
from civic.areas.demo import CITY
from civic.areas.geometry import parse_boundary
from civic.areas.models import Area, AreaKind
from civic.core.permissions import SYSTEM
from civic.departments.demo import URBAN_MANAGEMENT, district_office_code
from civic.departments.models import Department, MemberRole, Membership

from . import services
from .models import (
    Category,
    CategoryQuestion,
    Channel,
    EventKind,
    QuestionType,
    RejectReason,
    Report,
    ReportEvent,
    ReportPhoto,
    ResponseTemplate,
    RoutingRule,
    Support,
)

RANDOM_SEED = 20260501
REPORT_COUNT = 300
CLIENT_PREFIX = "demo-"
DAYS = 60  # reports were filed over this many days
CST = dt_timezone(timedelta(hours=8))
_UID = "reports-demo-dating"
HOUR = timedelta(hours=1)

# --- Categories ---------------------------------------------------------------------------------


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

# --- Residents ----------------------------------------------------------------------------------

# (display name, home community); resident01@demo.civic …
RESIDENTS = [
    ("陈思雨", "QH-DH-WJ-CH"),
    ("杨建华", "QH-DH-WJ-LX"),
    ("黄丽娟", "QH-DH-HB-QS"),
    ("周海涛", "QH-DH-HB-YH"),
    ("吴雅婷", "QH-DH-SM-JN"),
    ("徐志明", "QH-XL-CF-SL"),
    ("孙晓燕", "QH-XL-CF-ZY"),
    ("马国强", "QH-XL-GT-XH"),
    ("朱文静", "QH-XL-GT-LS"),
    ("胡振宇", "QH-BT-WL-SY"),
    ("郭秀英", "QH-BT-WL-MQ"),
    ("何俊杰", "QH-BT-YC-GY"),
    ("高敏", "QH-BT-YC-JD"),
    ("林志强", "QH-BT-XC-HX"),
    ("罗佳怡", "QH-BT-XC-JY"),
    ("梁晨", "QH-BT-XC-FH"),
    ("宋玉兰", "QH-NP-JX-BS"),
    ("谢伟", "QH-NP-JX-HT"),
    ("韩雪", "QH-NP-NY-DQ"),
    ("唐浩然", "QH-NP-NY-FL"),
]


def resident_email(number):
    return f"resident{number:02d}@demo.civic"


def _seed_residents():
    """The extra demo residents, created as the accounts demo creates its users."""
    emails = [resident_email(n) for n in range(1, len(RESIDENTS) + 1)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    missing = [
        (email, spec)
        for email, spec in zip(emails, RESIDENTS, strict=True)
        if email not in existing
    ]
    if not missing:
        return
    password_hash = make_password(DEMO_PASSWORD)  # slow on purpose: once for all
    areas = {a.code: a for a in Area.objects.filter(code__in=[c for _n, c in RESIDENTS])}
    for email, (display_name, community) in missing:
        user = User.objects.create(
            username=email,
            email=email,
            password=password_hash,
            display_name=display_name,
            home_area=areas.get(community),
        )
        on_signed_up(user)
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )


# --- Categories, routing and templates ----------------------------------------------------------


def _seed_categories():
    """Create the categories that do not exist yet, with their questions; existing ones are
    left as an administrator may have edited them."""
    departments = {d.code: d for d in Department.objects.all()}
    existing = set(Category.objects.values_list("service_code", flat=True))
    for order, spec in enumerate(CATEGORIES, start=1):
        if spec.code in existing:
            continue
        category = Category.objects.create(
            service_code=spec.code,
            name=spec.name,
            name_en=spec.name_en,
            description=spec.description,
            description_en=spec.description_en,
            group=spec.group[0],
            group_en=spec.group[1],
            keywords=spec.keywords,
            default_department=departments.get(spec.department),
            accept_sla_hours=spec.sla[0],
            resolve_sla_hours=spec.sla[1],
            allows_anonymous=spec.allows_anonymous,
            sensitive=spec.sensitive,
            sort_order=order * 10,
        )
        for position, question in enumerate(spec.questions, start=1):
            row = CategoryQuestion(
                category=category,
                code=question.code,
                label=question.label,
                label_en=question.label_en,
                datatype=question.datatype,
                required=question.required,
                options=question.options,
                sort_order=position,
            )
            row.full_clean()  # the admin's own checks: list questions have unique options
            row.save()


def _seed_routes():
    categories = {c.service_code: c for c in Category.objects.all()}
    offices = {d.code: d for d in Department.objects.filter(code__endswith="-office")}
    wanted = []
    for district in Area.objects.filter(kind=AreaKind.DISTRICT).order_by("path"):
        office = offices.get(district_office_code(district))
        if office is None:
            continue
        wanted.append((categories.get(GRAFFITI), district, office))
        if district.code in FALLEN_TREE_OFFICE_DISTRICTS:
            wanted.append((categories.get(FALLEN_TREE), district, office))
    for category, area, department in wanted:
        if category is not None:
            RoutingRule.objects.get_or_create(
                category=category, area=area, defaults={"department": department}
            )


def _seed_templates():
    categories = {c.service_code: c for c in Category.objects.all()}
    existing = set(ResponseTemplate.objects.values_list("title", flat=True))
    for spec in TEMPLATES:
        if spec.title in existing:
            continue
        template = ResponseTemplate.objects.create(
            title=spec.title, text=spec.text, text_en=spec.text_en, for_action=spec.for_action
        )
        template.categories.set([categories[c] for c in spec.categories if c in categories])


# --- Pictures -----------------------------------------------------------------------------------


def picture(scene, rng, *, fixed=False):
    """A small JPEG of a made-up scene: sky, ground and the problem drawn in simple shapes
    (or the same place after the work when ``fixed``)."""
    width, height = 640, 480
    night = scene in ("light", "night")
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    sky_top = (20, 30, 70) if night else (110 + rng.randint(0, 30), 170, 230)
    sky_bottom = (60, 70, 120) if night else (200, 225, 245)
    horizon = 200 + rng.randint(-20, 20)
    for y in range(horizon):
        t = y / horizon
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(sky_top, sky_bottom, strict=True)),
        )
    grass = scene in ("tree", "park")
    ground = (90, 150, 70) if grass else (95, 95, 100) if not night else (50, 50, 60)
    draw.rectangle([0, horizon, width, height], fill=ground)
    # Buildings on the horizon.
    x = 0
    while x < width:
        w, h = rng.randint(50, 110), rng.randint(40, 140)
        shade = rng.randint(140, 200) if not night else rng.randint(40, 70)
        draw.rectangle([x, horizon - h, x + w - 6, horizon], fill=(shade, shade - 10, shade - 20))
        for wy in range(horizon - h + 10, horizon - 10, 22):
            for wx in range(x + 8, x + w - 14, 18):
                lit = night and rng.random() < 0.5
                draw.rectangle(
                    [wx, wy, wx + 8, wy + 10], fill=(250, 220, 120) if lit else (90, 110, 140)
                )
        x += w
    if not grass:
        for lx in range(20, width, 90):  # lane markings
            draw.polygon(
                [(lx, 360), (lx + 50, 360), (lx + 46, 372), (lx - 4, 372)], fill=(235, 235, 225)
            )
    cx, cy = width // 2 + rng.randint(-80, 80), 330 + rng.randint(-30, 40)
    _draw_problem(draw, scene, cx, cy, rng, fixed)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _draw_problem(draw, scene, cx, cy, rng, fixed):
    if scene == "road":
        if fixed:
            draw.rectangle([cx - 90, cy - 40, cx + 90, cy + 40], fill=(45, 45, 50))
        else:
            draw.ellipse([cx - 80, cy - 30, cx + 80, cy + 30], fill=(40, 35, 30))
            draw.ellipse([cx - 60, cy - 18, cx + 50, cy + 20], fill=(70, 90, 110))
    elif scene == "rubbish":
        draw.rectangle([cx - 40, cy - 90, cx + 40, cy], fill=(30, 120, 60))
        if not fixed:
            for _i in range(14):
                x, y = cx + rng.randint(-140, 140), cy + rng.randint(-30, 50)
                r = rng.randint(12, 30)
                colour = rng.choice([(20, 20, 20), (230, 230, 230), (200, 60, 50), (60, 90, 200)])
                draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
    elif scene == "wall":
        draw.rectangle([60, cy - 170, 580, cy + 30], fill=(175, 90, 70))
        for by in range(cy - 170, cy + 30, 20):
            draw.line([(60, by), (580, by)], fill=(150, 150, 140), width=2)
        if not fixed:
            for _i in range(6):
                colour = rng.choice([(250, 50, 150), (40, 200, 250), (250, 230, 40), (20, 20, 20)])
                points = [(rng.randint(80, 560), rng.randint(cy - 160, cy + 20)) for _p in range(5)]
                draw.line(points, fill=colour, width=9)
    elif scene == "light":
        draw.rectangle([cx - 6, cy - 260, cx + 6, cy + 40], fill=(70, 70, 80))
        draw.rectangle([cx - 6, cy - 260, cx + 70, cy - 250], fill=(70, 70, 80))
        lamp = (255, 240, 170) if fixed else (60, 60, 60)
        draw.ellipse([cx + 45, cy - 255, cx + 95, cy - 235], fill=lamp)
        if fixed:
            draw.polygon(
                [(cx + 50, cy - 240), (cx + 90, cy - 240), (cx + 150, cy + 40), (cx - 10, cy + 40)],
                fill=(120, 115, 95),
            )
    elif scene == "tree":
        if fixed:
            draw.rectangle([cx - 10, cy - 20, cx + 10, cy + 10], fill=(110, 70, 40))
        else:
            draw.line([(cx - 150, cy + 30), (cx + 120, cy - 40)], fill=(110, 70, 40), width=26)
            for _i in range(8):
                x, y = cx + 120 + rng.randint(-60, 60), cy - 40 + rng.randint(-50, 50)
                draw.ellipse(
                    [x - 35, y - 35, x + 35, y + 35], fill=(40, 120 + rng.randint(0, 40), 50)
                )
    elif scene == "water":
        if not fixed:
            for _i in range(5):
                x, y = cx + rng.randint(-160, 160), cy + rng.randint(-30, 60)
                draw.ellipse([x - 90, y - 18, x + 90, y + 18], fill=(90, 140, 190))
        draw.ellipse([cx - 22, cy - 10, cx + 22, cy + 10], fill=(40, 40, 45))
    elif scene == "sign":
        lean = 0 if fixed else 70
        draw.line([(cx, cy + 40), (cx + lean, cy - 170)], fill=(150, 150, 160), width=10)
        x, y = cx + lean, cy - 200
        draw.ellipse([x - 45, y - 45, x + 45, y + 45], fill=(220, 30, 30))
        draw.ellipse([x - 32, y - 32, x + 32, y + 32], fill=(245, 245, 245))
    elif scene == "park":
        draw.polygon(
            [(cx - 120, cy + 30), (cx - 40, cy - 120), (cx - 20, cy - 120), (cx - 90, cy + 30)],
            fill=(240, 180, 30),
        )
        draw.rectangle([cx + 20, cy - 160, cx + 150, cy - 150], fill=(200, 40, 40))
        draw.line([(cx + 60, cy - 150), (cx + 60, cy - 40)], fill=(60, 60, 60), width=3)
        chain_end = (cx + 110, cy - 40) if fixed else (cx + 130, cy - 90)
        draw.line([(cx + 110, cy - 150), chain_end], fill=(60, 60, 60), width=3)
        draw.rectangle([cx + 50, cy - 42, cx + 120, cy - 34], fill=(60, 90, 200))
    else:  # night: a stall or a building site under lights
        draw.rectangle([cx - 100, cy - 120, cx + 100, cy - 100], fill=(200, 50, 40))
        draw.rectangle([cx - 90, cy - 100, cx + 90, cy], fill=(120, 90, 60))
        if not fixed:
            for _i in range(6):
                x = cx + rng.randint(-80, 80)
                draw.ellipse([x - 10, cy - 140, x + 10, cy - 120], fill=(255, 230, 140))


# --- The reports' stories -----------------------------------------------------------------------

# How many reports end in each state; "_overdue" ones are past their deadline and get escalated.
# Duplicates come on top, merged into reports planned before them.
STORIES = {
    "submitted": 24,
    "submitted_overdue": 6,
    "accepted": 16,
    "accepted_overdue": 5,
    "assigned": 14,
    "assigned_overdue": 4,
    "in_progress": 14,
    "in_progress_overdue": 4,
    "reopened_open": 5,
    "resolved": 28,
    "closed_rated": 105,
    "reopened_closed": 5,
    "closed_auto": 28,
    "rejected": 18,
    "rejected_abusive": 1,
    "recategorised": 3,
}
DUPLICATES = REPORT_COUNT - sum(STORIES.values())
# Stories that need a handler: only departments with demo staff have one.
NEEDS_HANDLER = {"assigned", "assigned_overdue", "in_progress", "in_progress_overdue"}
# Stories in which the reporter acts (rates, reopens): never a hotline caller without account.
REPORTER_ACTS = {"closed_rated", "reopened_open", "reopened_closed", "recategorised"}
REJECTED_STORIES = {"rejected", "rejected_abusive"}
# The main demo resident gets one of each of these, so her "my reports" shows every state.
MAIN_RESIDENT_STORIES = [
    "submitted",
    "accepted",
    "in_progress",
    "resolved",
    "resolved",
    "closed_rated",
    "closed_rated",
    "closed_rated",
    "rejected",
    "reopened_open",
]
MAIN_RESIDENT = "resident@demo.civic"
OTHER_RESIDENTS = ["resident2@demo.civic", "resident3@demo.civic"]
HOTLINE_SHARE = 0.07
# (submitted as, really is): the resident picked the wrong category. The answers given for the
# first stay with the report, so the second asks nothing that must be answered.
RECATEGORISED = [
    ("overflowing-bin", "illegal-dumping"),
    ("broken-pavement", "manhole-cover"),
    ("overflowing-bin", "illegal-dumping"),
]
ROADS_NAMES = [
    "春江路",
    "湖滨路",
    "文澜路",
    "运河路",
    "学院路",
    "解放路",
    "新华路",
    "建设路",
    "人民路",
    "环城北路",
    "钱塘路",
    "松林路",
    "古塘路",
    "望江路",
    "和平路",
    "锦绣路",
]
CALLERS = ["王先生", "刘女士", "张阿姨", "陈师傅", "赵先生", "李女士"]
# Answers to number questions: (category, question) → range.
NUMBERS = {
    ("pothole", "depth_cm"): (3, 25),
    ("abandoned-bike", "count"): (2, 20),
    ("manhole-cover", "count"): (1, 3),
}
PLAYGROUND_ANSWERS = [
    "秋千左边的链条断了",
    "滑梯中间一块塑料板裂开",
    "跷跷板的把手松了",
    "健身区漫步机底座螺丝脱落",
]
SPAM = [
    "加微信代办各类证件，价格优惠，当天出证！！！",
    "低息贷款，无抵押秒到账，联系我！",
]
UPDATES = [
    *(t.text for t in TEMPLATES if t.for_action == EventKind.UPDATE),
    "现场已设置警示标志，维修材料正在调配。",
    "施工班组已到场，正在处理。",
    "需要协调相关单位共同处理，请耐心等待。",
]
NOTES = [
    "已电话联系反映人，确认了具体位置。",
    "现场核实属实，已拍照留存。",
    "督办：请在时限内办结，注意回访。",
    "需要物业配合，已发函。",
    "材料明天到货，届时安排施工。",
]
REOPEN_REASONS = [
    "修好没两天又坏了。",
    "只处理了一部分，问题还在。",
    "现场跟处理前一样，没有看到任何变化。",
    "处理结果和反映的问题不符。",
]
RATING_COMMENTS = {
    1: ["处理太慢了，而且问题没解决。", "敷衍了事。"],
    2: ["拖了很久才处理。", "处理得不彻底。"],
    3: ["解决了，但是速度一般。", ""],
    4: ["处理得不错，谢谢。", "比较及时。", ""],
    5: ["非常及时，点赞！", "效率很高，谢谢工作人员！", "问题彻底解决了，感谢！", "", ""],
}
RATING_WEIGHTS = {1: 3, 2: 4, 3: 10, 4: 30, 5: 53}


@dataclass
class Step:
    action: str
    gap: float = 0.0  # hours after the step before (while planning)
    args: dict = field(default_factory=dict)
    at: datetime | None = None


@dataclass
class Plan:
    number: int
    story: str
    category: Category
    spec: CategorySpec
    cell: Area
    lat: float
    lon: float
    reporter: User | None
    steps: list
    channel: str = Channel.APP
    fields: dict = field(default_factory=dict)  # more submit_report arguments
    scene: str | None = None
    original: "Plan | None" = None
    hotline: User | None = None  # the staff member who takes hotline calls

    @property
    def client_request_id(self):
        return f"{CLIENT_PREFIX}{self.number:04d}"

    @property
    def submitted_at(self):
        return self.steps[0].at

    @property
    def submitter(self):
        return self.hotline if self.channel == Channel.HOTLINE else self.reporter


class _Planner:
    """Decides every report's place, people, words and timeline, from the seeded generator
    only, so that the same database always gets the same plan."""

    def __init__(self, now, categories, residents, staffed, hotline):
        self.rng = random.Random(RANDOM_SEED)
        self.now = now
        self.categories = categories  # [(spec, category)] in spec order
        self.residents = residents  # email → user
        self.staffed = staffed  # service codes whose department has a demo handler
        self.hotline = hotline
        city = Area.objects.get(code=CITY[0])
        areas = list(Area.objects.filter(path__startswith=city.path).order_by("path"))
        self.by_path = {a.path: a for a in areas}
        self.cells = [a for a in areas if a.kind == AreaKind.GRID]
        self.shapes = {}
        self.auto_close_days = getattr(settings, "REPORTS_AUTO_CLOSE_DAYS", 7)

    # Places ---------------------------------------------------------------------------------

    def _shape(self, cell):
        if cell.pk not in self.shapes:
            self.shapes[cell.pk] = parse_boundary(cell.boundary)
        return self.shapes[cell.pk]

    def _point_in(self, cell):
        """A random point inside the cell: drawn in its bounding box until one falls in it."""
        shape = self._shape(cell)
        for _attempt in range(100):
            lon = round(self.rng.uniform(cell.min_lon, cell.max_lon), 6)
            lat = round(self.rng.uniform(cell.min_lat, cell.max_lat), 6)
            if shape.contains(Point(lon, lat)):
                return lat, lon
        point = shape.representative_point()
        return round(point.y, 6), round(point.x, 6)

    def _near(self, plan):
        """A point a few tens of metres from ``plan``'s, in the same grid cell."""
        shape = self._shape(plan.cell)
        for _attempt in range(20):
            metres, angle = self.rng.uniform(5, 40), self.rng.uniform(0, 2 * math.pi)
            lat = round(plan.lat + metres * math.sin(angle) / 111_320, 6)
            lon = plan.lon + metres * math.cos(angle) / (111_320 * math.cos(math.radians(lat)))
            lon = round(lon, 6)
            if shape.contains(Point(lon, lat)):
                return lat, lon
        return plan.lat, plan.lon

    def _cell_for(self, reporter):
        home = getattr(reporter, "home_area", None)
        if home is not None and self.rng.random() < 0.5:
            mine = [c for c in self.cells if c.path.startswith(home.path)]
            if mine:
                return self.rng.choice(mine)
        return self.rng.choice(self.cells)

    def _address(self, cell):
        street = next(
            (
                self.by_path[cell.path[:end]]
                for end in range(len(cell.path), 0, -Area.steplen)
                if self.by_path[cell.path[:end]].kind == AreaKind.STREET
            ),
            None,
        )
        road = self.rng.choice(ROADS_NAMES)
        number = self.rng.randint(1, 399)
        return f"{street.name if street else ''}{road}{number}号附近"

    # What the reporter says -----------------------------------------------------------------

    def _answers(self, category, submitted_at):
        rng, answers = self.rng, {}
        for question in category.questions.all():
            if not question.required and rng.random() < 0.35:
                continue
            keys = [key for key, _name, _en in question.option_list]
            kind = question.datatype
            if kind == QuestionType.SINGLE:
                answers[question.code] = rng.choice(keys)
            elif kind == QuestionType.MULTI:
                answers[question.code] = rng.sample(keys, rng.randint(1, min(2, len(keys))))
            elif kind == QuestionType.NUMBER:
                low, high = NUMBERS.get((category.service_code, question.code), (1, 10))
                answers[question.code] = rng.randint(low, high)
            elif kind == QuestionType.DATETIME:
                # An evening or early morning in the days before it was reported.
                day = (submitted_at - timedelta(days=rng.randint(1, 3))).astimezone(CST)
                hour = rng.choice([21, 22, 23, 0, 6])
                answers[question.code] = day.replace(
                    hour=hour, minute=rng.choice([0, 15, 30, 45]), second=0, microsecond=0
                ).isoformat()
            elif question.code == "pole_number":
                answers[question.code] = f"QH-{rng.randint(1000, 9999)}"
            elif question.code == "plate":
                answers[question.code] = f"浙A{rng.randint(10000, 99999)}"
            elif kind == QuestionType.TEXT:
                answers[question.code] = rng.choice(PLAYGROUND_ANSWERS)
            else:
                answers[question.code] = f"{rng.randint(1, 99)}"
        return answers

    # Timelines ------------------------------------------------------------------------------

    def _steps(self, story, spec, category, staffed, reporter):
        """The steps with their gaps in hours, and the hours between the last step and now."""
        rng = self.rng
        a, r = category.accept_sla_hours, category.resolve_sla_hours
        steps = [Step("submit")]
        triage = {"by": "supervisor"} if rng.random() < 0.2 else {}

        def accept():
            steps.append(Step("accept", a * rng.uniform(0.1, 0.7), triage))

        def work():
            if staffed:
                steps.append(Step("assign", r * rng.uniform(0.02, 0.1), triage))
                steps.append(Step("start", r * rng.uniform(0.02, 0.15)))
            if rng.random() < 0.3:
                message = rng.choice(UPDATES)
                steps.append(Step("update", r * rng.uniform(0.05, 0.2), {"message": message}))
            late = rng.random() < 0.1
            hours = r * (rng.uniform(0.9, 1.4) if late else rng.uniform(0.1, 0.5))
            steps.append(Step("resolve", hours, {"message": rng.choice(spec.fixes)}))

        def rate():
            rating = rng.choices(list(RATING_WEIGHTS), weights=list(RATING_WEIGHTS.values()))[0]
            comment = rng.choice(RATING_COMMENTS[rating])
            steps.append(Step("rate", rng.uniform(2, 72), {"rating": rating, "comment": comment}))

        def reopen():
            reason = rng.choice(REOPEN_REASONS)
            steps.append(Step("reopen", rng.uniform(4, 72), {"reason": reason}))

        def note():
            steps.append(Step("note", 0, {"message": rng.choice(NOTES)}))

        base = story.removesuffix("_overdue")
        phase, anchor = None, None
        if base == "submitted":
            phase = (0, a)
        elif base in ("accepted", "assigned", "in_progress"):
            accept()
            phase = (1, r)
            if base != "accepted":
                steps.append(Step("assign", 0, triage))
            if base == "in_progress":
                steps.append(Step("start", 0))
            if rng.random() < 0.4:
                steps.append(Step("update", 0, {"message": rng.choice(UPDATES)}))
            if rng.random() < 0.4:
                note()
        elif base == "reopened_open":
            accept()
            work()
            reopen()
            phase = (len(steps) - 1, r)
            if rng.random() < 0.5:
                note()
        elif base in ("resolved", "closed_auto", "closed_rated"):
            accept()
            work()
            if base == "closed_rated":
                rate()
            days = {
                "resolved": (0.1, 0.8 * self.auto_close_days),
                "closed_auto": (self.auto_close_days + 0.5, 50),
                "closed_rated": (0.05, DAYS),
            }[base]
            anchor = 24 * rng.uniform(*days)
        elif base == "reopened_closed":
            accept()
            work()
            reopen()
            steps.append(Step("resolve", r * rng.uniform(0.1, 0.4), {"message": spec.fixes[0]}))
            rate()
            anchor = 24 * rng.uniform(0.5, DAYS)
        elif base == "rejected":
            accepted_first = rng.random() < 0.25
            if accepted_first:
                accept()
            reason = rng.choice(
                [RejectReason.NOT_OURS, RejectReason.INSUFFICIENT, RejectReason.NOT_A_PROBLEM]
            )
            steps.append(Step("reject", a * rng.uniform(0.1, 0.8), {**triage, "reason": reason}))
            anchor = 24 * rng.uniform(0.1, DAYS)
        elif base == "rejected_abusive":
            steps.append(
                Step("reject", a * rng.uniform(0.05, 0.3), {"reason": RejectReason.ABUSIVE})
            )
            anchor = 24 * rng.uniform(1, 20)
        elif base == "recategorised":
            steps.append(Step("recategorise", a * rng.uniform(0.1, 0.5)))
            accept()
            work()
            rate()
            anchor = 24 * rng.uniform(1, 40)

        supports = self._supports(reporter, story)
        if phase is None:
            steps[1:1] = supports  # soon after it was filed, while it was open
        else:
            steps += supports
        if phase is not None:
            # Open: whatever followed the start of the current deadline came soon after it;
            # the report is on time, or as late as the story says.
            start, sla = phase
            for step in steps[start + 1 :]:
                step.gap = sla * rng.uniform(0.03, 0.1)
            later = sum(step.gap for step in steps[start + 1 :])
            if story.endswith("_overdue"):
                anchor = sla * rng.uniform(1.05, 2.4) - later
            else:
                anchor = sla * rng.uniform(0.02, 0.45)
        return steps, anchor

    def _supports(self, reporter, story):
        """A few neighbours say "me too" (never the reporter)."""
        if story in REJECTED_STORIES or self.rng.random() >= 0.2:
            return []
        others = [u for u in self.residents.values() if u != reporter]
        users = self.rng.sample(others, min(len(others), self.rng.randint(1, 3)))
        return [Step("support", self.rng.uniform(0.2, 6), {"user": user}) for user in users]

    def _time(self, steps, anchor):
        span = sum(step.gap for step in steps)
        total = min(span + anchor, DAYS * 24 - 1)
        at = self.now - timedelta(hours=total)
        for step in steps:
            at += timedelta(hours=step.gap)
            step.at = at

    # The whole plan -------------------------------------------------------------------------

    def plan(self):
        rng = self.rng
        stories = [story for story, count in STORIES.items() for _i in range(count)]
        for story in MAIN_RESIDENT_STORIES:
            stories.remove(story)
        rng.shuffle(stories)
        main = self.residents.get(MAIN_RESIDENT)
        stories = [(story, main) for story in MAIN_RESIDENT_STORIES if main] + [
            (story, None) for story in stories
        ]
        if not main:
            stories += [(story, None) for story in MAIN_RESIDENT_STORIES]
        everyone = list(self.residents.values())
        others = [u for u in everyone if u != main]
        plans = []
        for number, (story, reporter) in enumerate(stories, start=1):
            if story in NEEDS_HANDLER and not self.staffed:
                story = "accepted_overdue" if story.endswith("_overdue") else "accepted"
            channel = Channel.APP if rng.random() < 0.75 else Channel.WEB
            if reporter is None:
                hotline = (
                    self.hotline is not None
                    and story not in REPORTER_ACTS
                    and rng.random() < HOTLINE_SHARE
                )
                # Not the main resident: her own list shows each state once.
                reporter = None if hotline else rng.choice(others)
                channel = Channel.HOTLINE if hotline else channel
            plans.append(self._plan(number, story, reporter, channel))
        fixed_or_open = [
            p for p in plans if p.story not in REJECTED_STORIES and p.story != "recategorised"
        ]
        for number in range(len(plans) + 1, len(plans) + 1 + DUPLICATES):
            original = rng.choice(fixed_or_open)
            candidates = [u for u in everyone if u != original.reporter]
            # The main resident's own duplicate: she becomes a supporter of the original.
            first = number == len(stories) + 1 and main is not None and main in candidates
            reporter = main if first else rng.choice([u for u in candidates if u != main])
            plans.append(self._duplicate(number, original, reporter))
        return plans

    def _choose_category(self, story):
        choices = self.categories
        if story in NEEDS_HANDLER or (story == "reopened_open" and self.rng.random() < 0.6):
            choices = [(s, c) for s, c in choices if c.service_code in self.staffed]
        weights = [spec.weight for spec, _c in choices]
        return self.rng.choices(choices, weights=weights)[0]

    def _plan(self, number, story, reporter, channel):
        rng = self.rng
        if story == "recategorised":
            wrong, right = RECATEGORISED[number % len(RECATEGORISED)]
            by_code = {c.service_code: (s, c) for s, c in self.categories}
            spec, category = by_code.get(wrong) or self._choose_category("submitted")
            true_spec, true_category = by_code.get(right) or (spec, category)
        else:
            spec, category = self._choose_category(story)
            true_spec, true_category = spec, category
        staffed = true_category.service_code in self.staffed
        steps, anchor = self._steps(story, true_spec, true_category, staffed, reporter)
        if story == "recategorised":
            next(s for s in steps if s.action == "recategorise").args["to"] = true_category
        self._time(steps, anchor)
        cell = self._cell_for(reporter)
        lat, lon = self._point_in(cell)
        # Only where both the chosen and the true category allow it: staff keep the anonymity
        # when they move the report to the right one.
        anonymous = (
            category.allows_anonymous
            and true_category.allows_anonymous
            and reporter is not None
            and rng.random() < 0.1
        )
        description = rng.choice(SPAM if story == "rejected_abusive" else true_spec.samples)
        fields = {
            "description": description,
            "address": self._address(cell) if rng.random() < 0.7 else "",
            "answers": {} if story == "recategorised" else self._answers(category, steps[0].at),
            "is_anonymous": anonymous,
            "show_name": not anonymous and reporter is not None and rng.random() < 0.3,
            "channel": channel,
        }
        if channel == Channel.HOTLINE:
            fields["contact"] = {
                "name": rng.choice(CALLERS),
                "phone": f"1380013{rng.randint(0, 9999):04d}",
            }
        plan = Plan(
            number,
            story,
            category,
            spec,
            cell,
            lat,
            lon,
            reporter,
            steps,
            channel,
            fields,
            hotline=self.hotline if channel == Channel.HOTLINE else None,
        )
        # Pictures: on half the main resident's reports, on a quarter of the last three days'
        # (the first a visitor sees) and on a few older ones.
        if reporter is not None and reporter.email == MAIN_RESIDENT:
            likely = 0.5
        else:
            likely = 0.25 if self.now - steps[0].at < timedelta(days=3) else 0.03
        if story not in REJECTED_STORIES and rng.random() < likely:
            plan.scene = spec.scene
            for step in steps:
                if step.action == "resolve" and rng.random() < 0.6:
                    step.args["after_photo"] = True
        return plan

    def _duplicate(self, number, original, reporter):
        """Another resident reports the same thing a little later; staff merge it."""
        rng = self.rng
        lat, lon = self._near(original)
        # Within two days of the original, while people still walk past the problem.
        hours_left = (self.now - original.submitted_at) / HOUR
        after = min(hours_left * rng.uniform(0.05, 0.5), rng.uniform(0.5, 48))
        submitted = original.submitted_at + after * HOUR
        hours_left = (self.now - submitted) / HOUR
        merged = (
            submitted
            + min(
                original.category.accept_sla_hours * rng.uniform(0.1, 0.6),
                hours_left * rng.uniform(0.2, 0.8),
            )
            * HOUR
        )
        steps = [Step("submit", at=submitted), Step("merge", at=merged)]
        fields = {
            "description": rng.choice(original.spec.samples),
            "address": original.fields["address"],
            "answers": self._answers(original.category, submitted),
            "is_anonymous": False,
            "show_name": False,
            "channel": Channel.APP,
        }
        return Plan(
            number,
            "duplicate",
            original.category,
            original.spec,
            original.cell,
            lat,
            lon,
            reporter,
            steps,
            Channel.APP,
            fields,
            original=original,
        )


# --- Running the plan through the services ------------------------------------------------------


REPORT_TIMES = [
    "created_at",
    "updated_at",
    "accept_deadline",
    "accepted_at",
    "resolve_deadline",
    "resolved_at",
    "closed_at",
]


def _write(model, rows, fields):
    """Save ``fields`` of ``rows`` in one statement run for each row. ``bulk_update`` would
    build a CASE over every row, which costs more than all the rest of the dating."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(model._meta.get_field(name).column)} = %s" for name in fields)
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE {quote(model._meta.pk.column)} = %s"
    )
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.executemany(
            sql, [[adapt(getattr(row, name)) for name in fields] + [row.pk] for row in rows]
        )


class _Runner:
    """Files and moves each planned report through ``reports.services``; what each step
    creates (timeline events, supports, photos) is dated to the step's planned moment."""

    def __init__(self, staff):
        self.staff = staff  # department id → {role: user}
        self.templates = {t.title: t for t in ResponseTemplate.objects.all()}
        self.done = {}  # plan number → report
        self.moment = None  # of the step running
        self.dated = {ReportEvent: [], Support: [], ReportPhoto: []}
        self.reports = []

    def _created(self, sender, instance, created, **kwargs):
        if created and self.moment is not None:
            instance.created_at = self.moment
            self.dated[sender].append(instance)

    @contextmanager
    def dating(self):
        """Note the rows the services create while the steps run (to date them in bulk)."""
        for model in self.dated:
            post_save.connect(self._created, sender=model, weak=False, dispatch_uid=_UID)
        try:
            yield
        finally:
            for model in self.dated:
                post_save.disconnect(sender=model, dispatch_uid=_UID)

    def flush(self):
        """Write the planned moments (demo data only: behind the services' back)."""
        for model, rows in self.dated.items():
            _write(model, rows, ["created_at"])
            rows.clear()
        _write(Report, self.reports, REPORT_TIMES)
        self.reports.clear()

    # Who acts -------------------------------------------------------------------------------

    def _members(self, report):
        return self.staff.get(report.department_id, {})

    def _triage(self, report, by=None):
        members = self._members(report)
        return (
            members.get(by)
            or members.get(MemberRole.DISPATCHER)
            or members.get(MemberRole.SUPERVISOR)
            or SYSTEM
        )

    def _worker(self, report):
        handler = self._members(report).get(MemberRole.HANDLER)
        if handler is not None and report.handler_id == handler.pk:
            return handler
        return self._triage(report)

    def _noter(self, report):
        members = self._members(report)
        return members.get(MemberRole.SUPERVISOR) or members.get(MemberRole.HANDLER) or SYSTEM

    def _template_text(self, title, fallback):
        template = self.templates.get(title)
        return template.text if template else fallback

    # The steps ------------------------------------------------------------------------------

    def run(self, plan):
        rng = random.Random(RANDOM_SEED * 1000 + plan.number)  # for the pictures
        report = None
        marks = {}
        accept_hours = plan.category.accept_sla_hours
        for step in plan.steps:
            self.moment = step.at
            args = step.args
            if step.action == "submit":
                photos = [picture(plan.scene, rng)] if plan.scene else []
                report = services.submit_report(
                    plan.submitter,
                    category=plan.category,
                    lat=plan.lat,
                    lon=plan.lon,
                    photos=photos,
                    client_request_id=plan.client_request_id,
                    **plan.fields,
                )
                marks["accept_base"] = step.at
            elif step.action == "accept":
                report = services.accept(self._triage(report, args.get("by")), report)
                marks["accept"] = step.at
            elif step.action == "assign":
                handler = self._members(report)[MemberRole.HANDLER]
                report = services.assign(
                    self._triage(report, args.get("by")), report, handler=handler
                )
            elif step.action == "start":
                report = services.start(self._worker(report), report)
            elif step.action in ("update", "note"):
                public = step.action == "update"
                actor = self._worker(report) if public else self._noter(report)
                report = services.post_update(actor, report, message=args["message"], public=public)
            elif step.action == "resolve":
                photos = [picture(plan.scene, rng, fixed=True)] if args.get("after_photo") else []
                report = services.resolve(
                    self._worker(report), report, message=args["message"], photos=photos
                )
                marks["resolve"] = step.at
            elif step.action == "rate":
                report = services.rate(
                    plan.reporter, report, rating=args["rating"], comment=args["comment"]
                )
                marks["close"] = step.at
            elif step.action == "reopen":
                report = services.reopen(plan.reporter, report, reason=args["reason"])
                marks["reopen"] = step.at
            elif step.action == "reject":
                reason = args["reason"]
                message = self._template_text(REJECT_TEMPLATE[reason], "")
                report = services.reject(
                    self._triage(report, args.get("by")), report, reason=reason, message=message
                )
                marks["close"] = step.at
            elif step.action == "support":
                report = services.support(args["user"], report)
            elif step.action == "recategorise":
                department = report.department_id
                report = services.recategorise(self._triage(report), report, args["to"])
                if report.department_id != department:
                    marks["accept_base"] = step.at
                    accept_hours = args["to"].accept_sla_hours
            elif step.action == "merge":
                report = services.merge(self._triage(report), report, self._original(plan))
                marks["close"] = step.at
        self.moment = None
        self.done[plan.number] = report
        self._backdate(plan, report, marks, accept_hours)
        return report

    def _original(self, plan):
        number = plan.original.number
        if number not in self.done:
            # Filed by an earlier run of the demo.
            self.done[number] = Report.objects.get(
                submitted_by=plan.original.submitter,
                client_request_id=plan.original.client_request_id,
            )
        return self.done[number]

    def _backdate(self, plan, report, marks, accept_hours):
        """Give the report its planned timestamps, to be written by ``flush``.

        ``report`` is as the last service returned it: read under its lock, then changed."""
        report.created_at = plan.submitted_at
        report.updated_at = plan.steps[-1].at
        if report.accept_deadline:
            report.accept_deadline = marks["accept_base"] + accept_hours * HOUR
        if report.accepted_at:
            report.accepted_at = marks["accept"]
        if report.resolve_deadline:
            since = max(marks[key] for key in ("accept", "reopen") if key in marks)
            report.resolve_deadline = since + report.category.resolve_sla_hours * HOUR
        if report.resolved_at:
            report.resolved_at = marks["resolve"]
        if report.closed_at:
            report.closed_at = marks["close"]
        self.reports.append(report)


def _after_sweep(started):
    """Date what the sweep just did to when it would have happened had it been running all
    along: an escalation when its level fell due, an automatic close when the reporter's time
    to rate ran out (demo data only)."""
    auto_close = timedelta(days=getattr(settings, "REPORTS_AUTO_CLOSE_DAYS", 7))
    events = list(
        ReportEvent.objects.filter(
            created_at__gte=started, kind__in=[EventKind.ESCALATED, EventKind.CLOSED]
        ).select_related("report__category")
    )
    reports = []
    for event in events:
        report = event.report
        if event.kind == EventKind.CLOSED:
            event.created_at = report.closed_at = report.resolved_at + auto_close
            reports.append(report)
            continue
        if event.data.get("phase") == "accept":
            deadline, sla = report.accept_deadline, report.category.accept_sla_hours
        else:
            deadline, sla = report.resolve_deadline, report.category.resolve_sla_hours
        share = {1: 0, 2: 0.5}.get(event.data.get("level"), 1)
        event.created_at = min(deadline + share * sla * HOUR, started)
    ReportEvent.objects.bulk_update(events, ["created_at"])
    Report.objects.bulk_update(reports, ["closed_at"])


def _staff():
    """The demo staff by department and role (the first member of each role)."""
    staff = {}
    for membership in Membership.objects.select_related("user").order_by("user__email"):
        staff.setdefault(membership.department_id, {}).setdefault(membership.role, membership.user)
    return staff


def _seed_reports(progress):
    started = timezone.now()
    # Every planned moment lies before any row this run writes, so "created since we started"
    # tells what the sweep does from the demo's own back-dated rows.
    now = started - timedelta(minutes=1)
    by_code = {
        c.service_code: c
        for c in Category.objects.filter(is_active=True).prefetch_related("questions")
    }
    categories = [(spec, by_code[spec.code]) for spec in CATEGORIES if spec.code in by_code]
    if not categories:
        return 0
    staff = _staff()
    # Categories whose every department (the default one and those of its routing rules) has
    # a demo handler.
    staffed = {
        category.service_code
        for _spec, category in categories
        if all(
            MemberRole.HANDLER in staff.get(department_id, {})
            for department_id in {
                category.default_department_id,
                *category.routes.values_list("department_id", flat=True),
            }
        )
    }
    emails = [MAIN_RESIDENT, *OTHER_RESIDENTS] + [
        resident_email(n) for n in range(1, len(RESIDENTS) + 1)
    ]
    residents = {
        u.email: u for u in User.objects.filter(email__in=emails).select_related("home_area")
    }
    residents = {email: residents[email] for email in emails if email in residents}
    if len(residents) < 4:
        return 0
    urban = Department.objects.filter(code=URBAN_MANAGEMENT).first()
    hotline = staff.get(urban.pk, {}).get(MemberRole.DISPATCHER) if urban else None
    plans = _Planner(now, categories, residents, staffed, hotline).plan()

    # Filed by an earlier run: the same submitter with the same client request id.
    done = set(
        Report.objects.filter(client_request_id__startswith=CLIENT_PREFIX).values_list(
            "submitted_by_id", "client_request_id"
        )
    )
    todo = sorted(
        (plan for plan in plans if (plan.submitter.pk, plan.client_request_id) not in done),
        key=lambda plan: (plan.submitted_at, plan.number),
    )
    runner = _Runner(staff)
    with runner.dating():
        for plan in progress(todo):
            runner.run(plan)
    runner.flush()
    if todo:
        services.sweep()
        _after_sweep(started)
    return len(todo)


def seed(progress=iter):
    """Create what is missing of the reports demo; returns the number of reports created."""
    with transaction.atomic():
        _seed_residents()
        _seed_categories()
        _seed_routes()
        _seed_templates()
        return _seed_reports(progress)
