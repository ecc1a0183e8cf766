"""A blind evaluation set for the smart intake's classifier: texts as residents type them on a
phone (about seven in ten in Chinese: colloquial, with typos, dialect, addresses and times; the
rest in English or mixed), written from the categories' names and descriptions only, before the
classifier's phrase lists, its other evaluation set or the demo stories were read.

It is split by a fixed rule: ``DEVELOPMENT`` (the even positions) may be looked at to find what
the classifier gets wrong; ``HELD_OUT`` (the odd positions) is only measured, never studied, so
its figures are the honest ones."""

BLIND = [
    # --- street-light ---
    (
        "street-light",
        "我们小区东门出来那条路晚上黑漆漆的，一盏都没亮，已经三四天了，下班回家吓死人",
    ),
    ("street-light", "建设路88号对面那根杆子上的灯一闪一闪的，像鬼片一样，开车经过特别晃眼"),
    ("street-light", "大白天的灯还亮着！中午12点从人民公园南门过看到一整排都开着，太浪费了吧"),
    ("street-light", "晚上九点多遛狗，文化街中段好几盏灯都灭了 伸手不见五指 差点踩进水坑"),
    ("street-light", "滨河步道上有根灯柱歪了，好像被车撞的，上面灯罩裂了挂着随时会掉下来"),
    ("street-light", "楼下那个照明灯坏了半个月了 打物业电话说不归他们管 到底谁管啊"),
    ("street-light", "学校后面那条小巷子晚上太黑了，灯不亮，女孩子晚上根本不敢走"),
    ("street-light", "桥上的灯忽明忽暗的，昨晚十点看到的，还滋滋响，是不是漏电啊有点怕"),
    ("street-light", "新华路公交站边上的灯柱底座盖板没了，里面电线露在外面，小孩会去摸的"),
    (
        "street-light",
        "The lamp outside 23 Riverside Rd dark for a week, whole stretch pitch black at night.",
    ),
    (
        "street-light",
        "Light on the corner of Park Ave keeps flickering on and off all night, into my bedroom.",
    ),
    (
        "street-light",
        "lights along the canal path are on all day long even at noon, waste of electricity",
    ),
    ("street-light", "门口那个light坏了，晚上回家看不见路，黑的很"),
    # --- pothole ---
    ("pothole", "幸福路和光明街路口有个大洞，昨晚电动车骑过去直接摔了，膝盖都磕破了"),
    ("pothole", "马路中间凹下去一大块，下了雨积满水看不出来多深，轮胎都被颠爆了"),
    ("pothole", "公交车站前面的柏油路烂了好几块，车子开过去哐当哐当的"),
    ("pothole", "东环路往北那段全是坑，开车跟坐船一样，啥时候修啊"),
    ("pothole", "路面塌下去一块有半米深，就在建材市场大门对面，赶紧拦一下吧要出人命的"),
    ("pothole", "马路上那个下水井旁边陷下去了，一圈都是裂缝，大货车一过就往下掉渣"),
    ("pothole", "十字路口左转车道那里沥青被压烂了，坑坑洼洼的，好多车绕着走差点撞上"),
    ("pothole", "刚骑车经过学院路 前轮卡进一个坑里 整个人飞出去了 这路真该修了"),
    ("pothole", "路上的坑越来越大了 上个月就有 现在都能放进去一个脸盆了"),
    (
        "pothole",
        "Huge hole in the middle of the road on Station Street, nearly lost a tyre this morning.",
    ),
    (
        "pothole",
        "The asphalt on Harbour Road has caved in near the bus stop, cars swerving around it.",
    ),
    ("pothole", "road surface is all broken up outside the school gate, cyclists keep coming off"),
    ("pothole", "北京路上有个坑 very deep，晚上开车根本看不见"),
    # --- illegal-dumping ---
    ("illegal-dumping", "有人半夜开着三轮车往河边空地上倒装修垃圾，砖头水泥袋子堆成小山了"),
    ("illegal-dumping", "绿化带里被扔了一个旧沙发和两个床垫，好几天了没人管，还招老鼠"),
    ("illegal-dumping", "小区后面那块荒地都快成垃圾场了，啥都有，臭得窗户都不敢开"),
    ("illegal-dumping", "桥底下有人丢了一堆碎瓷砖和木板，挡了半边路"),
    ("illegal-dumping", "工地把渣土偷偷倒在路边草地上，晚上十一二点倒的，我拍到车牌了"),
    ("illegal-dumping", "路边有人扔了个破冰箱还有一堆旧衣服，旁边就是幼儿园"),
    ("illegal-dumping", "菜市场后门空地上堆满了烂菜叶和泡沫箱，苍蝇到处飞，谁这么没素质"),
    ("illegal-dumping", "村口那条沟里被人倒了好多塑料袋和生活垃圾，水都黑了"),
    ("illegal-dumping", "又有人在树林边上扔装修的废料了，上次清完没几天又堆起来"),
    (
        "illegal-dumping",
        "Someone dumped an old mattress and a broken wardrobe on the grass verge by Elm Street.",
    ),
    (
        "illegal-dumping",
        "Builders have been tipping rubble on the empty lot behind the supermarket at night.",
    ),
    (
        "illegal-dumping",
        "pile of black bags and an old TV left next to the footpath, been there over a week",
    ),
    ("illegal-dumping", "河边空地有人dump建筑垃圾，每天晚上都有车来"),
    # --- graffiti ---
    ("graffiti", "我家楼道墙上被人贴满了开锁、通下水道的小纸条，撕了又贴，烦死了"),
    ("graffiti", "电线杆上密密麻麻全是办证的广告，还留着手机号，太难看了"),
    ("graffiti", "地下通道墙上被人用喷漆乱画了一大片，画的什么乱七八糟的"),
    ("graffiti", "小区围墙被小孩用粉笔和油漆写满了字，刚刷的墙啊"),
    ("graffiti", "公交站牌上贴了好多招租、贷款的单子，站牌都看不清了"),
    ("graffiti", "桥墩子上被人喷了很大的字母，还有骂人的话，孩子上学天天路过影响不好"),
    ("graffiti", "有人在人行道地上用油漆喷电话号码，一路喷了十几个"),
    ("graffiti", "新刷的白墙又被涂得花花绿绿，就在人民医院对面那排商铺侧面"),
    ("graffiti", "单元门上贴满了牛皮癣，刚清理干净第二天又贴上了"),
    ("graffiti", "Someone spray-painted tags all over the wall of the underpass on Bridge Street."),
    (
        "graffiti",
        "lamp posts on our street are covered in stickers advertising loans and fake certificates",
    ),
    (
        "graffiti",
        "The new bus shelter has been scribbled on with marker pen, some of it offensive.",
    ),
    ("graffiti", "墙上全是小广告 like 办证 开锁 everywhere"),
    # --- blocked-drain ---
    ("blocked-drain", "一下雨我们这条街就变成河了，水漫过脚脖子，路边那个排水口是不是堵了"),
    ("blocked-drain", "路边的下水口被落叶和泥巴糊住了，雨水根本下不去"),
    ("blocked-drain", "楼下井里往外冒脏水，黑乎乎的还特别臭，一直流到马路上"),
    ("blocked-drain", "昨晚雨下了一夜，今早公交站那积了好深的水，大家都要蹚水过去"),
    ("blocked-drain", "小区门口的格栅上全是垃圾，一下雨就淹，物业说是市政的"),
    ("blocked-drain", "臭水沟的水漫出来了，整条巷子都是粪便味道，没法走"),
    ("blocked-drain", "地下通道积水半米多深，车都熄火了，是不是抽水的坏了还是堵了"),
    ("blocked-drain", "路边排水沟被水泥块堵死了，应该是旁边工地弄的"),
    ("blocked-drain", "路上的污水管往外溢，整条街都是那个味，恶心死了"),
    (
        "blocked-drain",
        "Every time it rains the corner of Mill Lane floods, the grate is clogged with leaves.",
    ),
    (
        "blocked-drain",
        "Sewage coming up out of a grid in the road outside number 12, smells terrible.",
    ),
    (
        "blocked-drain",
        "big puddle that never drains at the crossing, water just sits there for days",
    ),
    ("blocked-drain", "雨水篦子堵了，门口水深到小腿，shop都进水了"),
    # --- damaged-sign ---
    ("damaged-sign", "路口那块指路的牌子被车撞倒了，躺在地上好几天了"),
    ("damaged-sign", "限速的牌子被树枝挡得严严实实，开过去根本看不到"),
    ("damaged-sign", "学校门口那个注意儿童的牌子不见了，早上车开得飞快"),
    ("damaged-sign", "街角的路名牌掉色掉得看不出写的啥了，外地人老是问路"),
    ("damaged-sign", "禁止停车那个牌牌被人掰弯了，朝着墙那边"),
    ("damaged-sign", "单行道的标志被风吹歪了转了方向，好多车逆行进来"),
    ("damaged-sign", "停车让行的牌子倒在绿化带里了，十字路口很容易出事"),
    ("damaged-sign", "高架下面的指示牌字都掉了一半，开车看不清往哪边走"),
    ("damaged-sign", "路口的指路牌被广告布盖住了，看不清往哪走"),
    (
        "damaged-sign",
        "The stop sign at Oak and 5th has been knocked flat, drivers are just rolling through.",
    ),
    (
        "damaged-sign",
        "street name plate on Cedar Road is missing, only the empty bracket left on the post",
    ),
    (
        "damaged-sign",
        "The speed limit sign outside the primary school is hidden behind overgrown branches.",
    ),
    ("damaged-sign", "路口那个no left turn的牌子不见了"),
    # --- fallen-tree ---
    ("fallen-tree", "昨晚刮大风，人民路上一棵大树连根拔起横在马路中间，车都过不去"),
    ("fallen-tree", "小区里的老槐树断了一根大树杈，挂在半空中摇摇晃晃，底下就是小孩玩的地方"),
    ("fallen-tree", "台风过后路边好几棵树倒了，压在停着的车上"),
    ("fallen-tree", "公园里那棵歪脖子树越来越斜了，根都翘起来了，感觉随时要倒"),
    ("fallen-tree", "一根很粗的枝丫掉下来砸在人行道上，差点砸到人，还堵着路"),
    ("fallen-tree", "河堤上的树被雷劈了一半，裂开的那半边就悬在步道上面"),
    ("fallen-tree", "雪太大把树压断了，树干横在自行车道上"),
    ("fallen-tree", "学校门口那棵大杨树倒在电线上了，电线都被压下来了，好危险"),
    (
        "fallen-tree",
        "A big tree came down across Willow Lane in last night's storm, road is blocked.",
    ),
    (
        "fallen-tree",
        "Huge branch snapped off the plane tree outside no. 40 and is hanging over the pavement.",
    ),
    (
        "fallen-tree",
        "tree leaning badly after the wind, roots lifting the ground, right next to the bus stop",
    ),
    ("fallen-tree", "台风过后树倒了，blocking the whole bike lane"),
    # --- abandoned-bike ---
    ("abandoned-bike", "楼下停了好多辆烂单车，轮子都没了，锈得不成样子，一两年都没人动过"),
    ("abandoned-bike", "地铁口旁边的共享单车堆成山了，好多是坏的，人都走不过去"),
    ("abandoned-bike", "小区门口有几辆自行车扔了好久，车胎瘪了，座子也没了，占着盲道"),
    ("abandoned-bike", "草坪上躺着好多辆小黄车，都倒在那压坏草了"),
    ("abandoned-bike", "河里被人扔了几辆共享单车，半截露在水面上"),
    ("abandoned-bike", "人行道上那辆破自行车锁在栏杆上起码半年了，全身是灰"),
    ("abandoned-bike", "一堆破烂的二八大杠堆在巷子口，像废品站一样"),
    ("abandoned-bike", "公园门口摆了上百辆单车，横七竖八的，扫码都扫不出来，很多是报废的"),
    (
        "abandoned-bike",
        "There's a rusty bike with no wheels locked to the railing on Market St, there for months.",
    ),
    (
        "abandoned-bike",
        "dozens of broken share bikes piled up outside the metro exit, blocking the path",
    ),
    (
        "abandoned-bike",
        "Somebody left a bicycle frame chained to the tree outside my building for over a year.",
    ),
    ("abandoned-bike", "小区门口一堆坏掉的bike没人管，好几个月了"),
    # --- noise ---
    ("noise", "半夜两点了隔壁工地还在打桩，咚咚咚震得床都在抖，还让不让人睡觉了"),
    ("noise", "楼下广场上的大妈每天晚上跳到十点，音响开得巨大声，孩子没法写作业"),
    ("noise", "街对面那家手机店门口放个大喇叭一直喊清仓大甩卖，从早到晚循环"),
    ("noise", "楼下烧烤店每天凌晨还有一群人喝酒划拳大吵大叫"),
    ("noise", "晚上11点多了还有人在切割钢材，滋啦滋啦的声音刺耳得要命"),
    ("noise", "有人开改装车半夜在路上轰油门，炸街一样，一晚上好几趟"),
    ("noise", "楼下KTV唱到凌晨三点，窗户关上都听得清清楚楚"),
    ("noise", "早上五点就有人在小区里用电锯，吵醒全楼的人"),
    ("noise", "隔壁酒吧驻唱声音太大，晚上一点了还在唱，老人心脏受不了"),
    ("noise", "Construction next door starts jackhammering at 6am every day including Sundays."),
    ("noise", "The bar downstairs plays loud music until 3am every night, can't sleep at all."),
    ("noise", "square dancing speakers blasting in the plaza every night until after ten"),
    ("noise", "楼下那家店speaker一整天on repeat，好吵"),
    # --- water-leak ---
    ("water-leak", "马路上有个地方一直在往外冒水，像个小喷泉，水哗哗地流了一上午了"),
    ("water-leak", "人行道砖缝里往上渗清水，好几天了，应该是地下的自来水管破了"),
    ("water-leak", "路边那个红色的消防栓在漏水，一直滴滴答答的，地上一大滩"),
    ("water-leak", "街口突然喷出很高的水柱，地面都被冲开了，我们小区现在都停水了"),
    ("water-leak", "水表井里全是水，还在往外涌，是干净的水不是脏水"),
    ("water-leak", "早上出门看到路面鼓起来了，裂缝里一直往外淌水，冬天会结冰的"),
    ("water-leak", "挖掘机挖断了水管，水流得满街都是，工人说不关他们的事"),
    ("water-leak", "我们楼前的路面一直湿湿的，没下雨也湿，听得到地下有哗哗的水声"),
    ("water-leak", "Water is gushing out of the road near the junction, looks like a burst pipe."),
    (
        "water-leak",
        "The fire hydrant on Queen Street is leaking constantly, water running down the gutter.",
    ),
    (
        "water-leak",
        "clean water bubbling up between the paving stones for three days now, must be a pipe",
    ),
    ("water-leak", "路上一直冒水，应该是water pipe爆了"),
    # --- broken-pavement ---
    ("broken-pavement", "人行道上的砖都松了，一踩就往外溅泥水，裤子都脏了"),
    ("broken-pavement", "步行街的地砖翘起来好几块，我妈昨天被绊倒摔到了手"),
    ("broken-pavement", "盲道上的黄砖缺了好几块，还有的碎了，盲人怎么走啊"),
    ("broken-pavement", "小区外面人行道的石板高低不平，推婴儿车过不去"),
    ("broken-pavement", "树根把走路的地方顶起来了，砖都拱起来了，晚上看不见容易摔"),
    ("broken-pavement", "公交站台前面的地砖碎了一片，下雨后踩上去就喷水"),
    ("broken-pavement", "人行道上少了几块砖，露出一个个洞，轮椅卡住了"),
    ("broken-pavement", "医院门口那段步道的砖全松动了，老人拄拐杖走很危险"),
    (
        "broken-pavement",
        "The paving slabs outside the library are loose and rocking, my gran tripped yesterday.",
    ),
    (
        "broken-pavement",
        "Several tiles missing from the footpath on Green St, holes you can twist an ankle in.",
    ),
    (
        "broken-pavement",
        "tactile strip for blind people is broken and missing pieces near the crossing",
    ),
    ("broken-pavement", "人行道的砖翘起来了，差点trip倒"),
    # --- overflowing-bin ---
    ("overflowing-bin", "小区门口的垃圾箱满得冒出来了，袋子都堆到地上，三天没人来收"),
    ("overflowing-bin", "垃圾分类亭那里堆成山了，臭气熏天，夏天苍蝇蚊子特别多"),
    ("overflowing-bin", "公园里的果皮箱满了，塞都塞不进去，大家只好放旁边"),
    ("overflowing-bin", "垃圾车好几天没来了，我们这个点的桶全满了，猫狗在扒"),
    ("overflowing-bin", "楼下垃圾房溢出来了，汤汤水水流了一地，走过去要捏鼻子"),
    ("overflowing-bin", "菜场门口那几个大绿桶早就满了还没人清，旁边的垃圾被风吹得到处都是"),
    ("overflowing-bin", "路边的垃圾桶盖子都盖不上了，里面塞满了外卖盒"),
    ("overflowing-bin", "放假这几天没人清运，地铁站出口的桶都爆满了"),
    (
        "overflowing-bin",
        "The bins on the high street haven't been emptied in days, rubbish all over the pavement.",
    ),
    (
        "overflowing-bin",
        "recycling point at the corner is completely full, bags piled all around it, smells awful",
    ),
    (
        "overflowing-bin",
        "The litter bin at the bus stop is stuffed full and rubbish is blowing all over the road.",
    ),
    ("overflowing-bin", "门口垃圾桶full了三天了，nobody come to collect"),
    ("overflowing-bin", "小区的厨余桶一直没人倒，臭到家里来了"),
    # --- illegal-parking ---
    ("illegal-parking", "有辆白色轿车一直停在消防通道上，好几天了，着火了消防车怎么进来"),
    ("illegal-parking", "人行道上停满了车，行人只能走到机动车道上去，太危险了"),
    ("illegal-parking", "公交站台前面停了一排私家车，公交车靠不了站，乘客要跑到马路中间上车"),
    ("illegal-parking", "盲道上停着一辆面包车，停了一整天了"),
    ("illegal-parking", "小区门口双排停车，把出口堵死了，早上上班开不出去，打电话也不接"),
    ("illegal-parking", "医院门口的急救车通道被出租车占了，救护车进不来"),
    ("illegal-parking", "有人把车停在人家车库门口，我出不去了，挪车电话也不留一个"),
    ("illegal-parking", "学校门口接孩子的车停得乱七八糟，斑马线上都停着车"),
    (
        "illegal-parking",
        "A van has been parked across the fire lane behind our block for three days.",
    ),
    (
        "illegal-parking",
        "cars parked all over the pavement on Church Road, had to walk in the road with a pram",
    ),
    (
        "illegal-parking",
        "Someone parked in the bus stop again, the bus let people off in the middle of the road.",
    ),
    ("illegal-parking", "有个车停在我家门口blocking the driveway，找不到车主"),
    # --- playground ---
    ("playground", "小区里的滑滑梯裂了一道大口子，边上很锋利，孩子裤子都被划破了"),
    ("playground", "公园的秋千链子断了一根，坐上去会翻，小孩子差点摔下来"),
    ("playground", "健身器材那个转腰的转盘卡死了，还有个踩的踏板松了晃荡"),
    ("playground", "跷跷板的把手掉了，只剩一个铁杆子露着，太危险了"),
    ("playground", "儿童乐园的攀爬网破了好几个洞，小孩的脚会卡进去"),
    ("playground", "广场上那排漫步机有一个轴断了，老人一踩就歪"),
    ("playground", "沙池里有好多碎玻璃和钉子，木头围栏也烂了有倒刺"),
    ("playground", "小区那个单杠晃得厉害，底座螺丝都锈断了，我儿子拉了一下差点倒"),
    (
        "playground",
        "The slide in Riverside Park has a big crack and sharp edges, my daughter cut her leg.",
    ),
    (
        "playground",
        "swing chain is broken at the kids' play area on Maple Street, the seat hangs on one side",
    ),
    (
        "playground",
        "One of the outdoor gym machines in the square has a loose pedal that flips over.",
    ),
    ("playground", "公园的滑梯坏了，边缘很sharp，小朋友会受伤"),
    # --- manhole-cover ---
    ("manhole-cover", "人行道上有个井口没盖子了，黑洞洞的，晚上走路掉下去怎么办"),
    ("manhole-cover", "路中间那个圆铁盖子碎了一半，车一压就哐当响"),
    ("manhole-cover", "车开过去井盖就翻起来，咣咣响，吓死人，就在超市出口那里"),
    ("manhole-cover", "小区门口的下水井盖子不知道被谁偷了，拿了个纸箱盖着，太危险了"),
    ("manhole-cover", "电力井的水泥盖板裂开了，中间塌下去，小孩子会踩进去"),
    ("manhole-cover", "路口那个检查井的盖子松了，一踩就晃，下面好深"),
    ("manhole-cover", "昨天晚上有个老人一脚踩空掉进没盖的井里了，腿都摔断了，赶紧来处理吧"),
    ("manhole-cover", "盖子被压翘了一边，电动车经过的时候把人颠下来了"),
    (
        "manhole-cover",
        "The manhole lid outside the bakery is missing, just an open hole with a cone next to it.",
    ),
    (
        "manhole-cover",
        "cover on the chamber in the middle of the road rocks and bangs every time a car goes over",
    ),
    (
        "manhole-cover",
        "A cracked iron cover on the footpath near the school, half of it has fallen in.",
    ),
    ("manhole-cover", "马路上有个open hole没盖子，very dangerous"),
    # --- street-vending ---
    ("street-vending", "人行道上全是摆地摊的，卖水果卖衣服的，推着婴儿车根本过不去"),
    ("street-vending", "早餐店把桌子凳子都摆到人行道上了，行人只能走马路"),
    ("street-vending", "晚上路口一堆烧烤摊，烟熏火燎的，还把路占了一半"),
    ("street-vending", "小区门口每天早上有人开着三轮车卖菜，把出入口堵得死死的"),
    ("street-vending", "修车铺把摩托车都摆在外面修，人行道上全是油"),
    ("street-vending", "地铁站出口被一群卖小吃的占了，出站都要挤"),
    ("street-vending", "学校门口的小摊小贩太多了，炸串奶茶堵在门口，孩子放学出不来"),
    ("street-vending", "五金店把货都堆在门口人行道上，占了两米多"),
    (
        "street-vending",
        "Market traders have set up stalls across the pavement on Bridge St, can't get through.",
    ),
    (
        "street-vending",
        "the restaurant puts its tables out on the footpath every evening, wheelchairs can't pass",
    ),
    (
        "street-vending",
        "Fruit sellers with carts block the junction every morning, pedestrians walk in traffic.",
    ),
    ("street-vending", "夜市的stall全部摆到人行道上，人都走不了"),
]

DEVELOPMENT = BLIND[0::2]
HELD_OUT = BLIND[1::2]
