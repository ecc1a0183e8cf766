"""Built-in phrases for the demo city's categories: how residents say it, in Chinese (with the
usual typos and local words) and English, so that text phrased nothing like a category's name
is understood on day one. Keyed by service code: Chinese phrases separated by spaces, English
ones by semicolons. A city's own categories without an entry here start from their names,
descriptions and keywords alone, and all of them learn from history.

Never used to measure the classifier: tests/reports/classify_eval.py and the blind set
tests/reports/classify_blind.py hold the texts for that. Phrases are added from what the blind
set's development half gets wrong, in general words, never from its held-out half.
"""

_TEXT = {
    "street-light": (
        """
        路灯不亮 路灯坏了 灯不亮 路灯灭了 晚上黑漆漆的 黑灯瞎火 乌漆嘛黑 黑咕隆咚什么都看不见
        一到晚上就一片漆黑 路上没有灯 照明坏了 路灯闪个不停 灯一闪一闪的 灯忽明忽暗
        路灯白天也亮着 大白天路灯还开着 路灯不关 灯泡烧了 灯罩掉了 灯杆歪了 灯杆倒了
        电线杆上的灯不亮 路等不亮 路灯坏掉 灯坏了好几盏 整条街的灯都灭了 晚上走夜路看不清
        摸黑走路 太黑了不敢走 小区外面路灯不亮 路灯线路故障 路灯一直不亮 灯光太暗 街灯坏了
        街灯不亮 景观灯不亮 隧道里的灯坏了 桥上的灯不亮 路灯亮一会灭一会 灯头掉下来 灯箱不亮
        高杆灯不亮
        一点光都没有 晚上只能打手机电筒 打着手电走路 摸黑回家 路上看不清脚下 没有照明 灯柱
        灯杆上的灯 庭院灯不亮 太阳能灯坏了 灯管坏了 灯泡坏了 亮一下灭一下 灯一会亮一会不亮
        灯整夜不亮 灯光昏暗 灯柱上的检修门开着 灯杆底下电线露出来 灯杆生锈快倒了 天亮了灯还开着
        灯一直开着不关
        """,
        """
        street light out; street light not working; streetlight broken; lamp post dark;
        the street is pitch dark at night; light keeps flickering; street lamp flickers;
        light on during the day; lamp is out; no lighting on the road; bulb is out;
        lamppost knocked over; street lights are off; dark street no lights; stret light;
        streetlamp not on; lights out on the whole block;
        no light at all; have to use my phone torch; lamppost out; lamp column damaged; bulb
        blown; lights blinking; exposed wires at the base of the lamp post; street is dark;
        lamp not working;
        """,
    ),
    "pothole": (
        """
        路上有个坑 路面有坑 马路上一个大坑 坑坑洼洼 路面坑洼不平 路面塌陷 路面下沉
        路面凹下去一块 路面破了个洞 柏油路面裂开 沥青路面破损 路面开裂 路烂了 马路烂得不成样子
        路面起包 车子颠得厉害 开车经过咯噔一下 轮胎被坑扎坏 电动车掉进坑里 骑车摔进坑里
        坑里积满了水 路中间一个窟窿 马路上有个洞 路面碎了 车道上的坑越来越大 修路留下的坑没填
        路面补丁又坏了 道路破损 路基下陷 坑洼路段 路上好多坑 水泥路面断裂 路面翻浆 车行道坑槽
        大坑小坑连成片 马路坑 路面有凹坑 坑很深 汽车底盘被刮 路面塌了个洞 路面凹陷 路面破烂
        路面陷下去了 地面往下陷 路面往下沉 柏油掉了一块 沥青剥落 路面掉块 路面起皮 路面鼓包 爆胎
        轮毂被颠坏 底盘刮了 路面一个大窟窿 车轮卡进坑里 骑车被坑颠倒 颠簸得厉害 路面坑多 马路烂了
        车道上有个深坑 路面裂开一道口子
        """,
        """
        pothole; potholes on the road; huge hole in the road; road surface broken;
        road is cracked; sinkhole in the road; the road has sunk; bumpy road full of holes;
        my car hit a pothole; tyre damaged by a hole; crater in the street; pot hole;
        asphalt crumbling; road damage; potholw; dip in the carriageway;
        sunken road; subsidence in the road; tarmac breaking up; hole in the tarmac; burst
        tyre on a hole; wheel damaged by a hole; deep hole in the lane; crater in the road;
        road caved in; bumpy road;
        """,
    ),
    "illegal-dumping": (
        """
        乱倒垃圾 乱扔垃圾 偷倒垃圾 有人倒垃圾 倾倒建筑垃圾 装修垃圾乱堆 建筑垃圾堆在路边
        渣土乱倒 半夜偷偷倒渣土 废旧家具扔在路边 旧沙发床垫扔在外面 大件垃圾没人清 垃圾堆成山
        空地上堆满垃圾 绿化带里扔垃圾 河边堆了好多垃圾 路边垃圾成堆 垃圾乱堆乱放
        生活垃圾随地乱丢 一堆碎砖头 水泥块乱堆 废料堆在路上 有人在这里丢垃圾 垃圾堆散发臭味
        苍蝇蚊子到处飞 垃圾没人清理 卡车倒渣土 偷排废弃物 弃置的轮胎 一堆废品 拆迁垃圾
        垃圾包扔在草丛里 随意丢弃垃圾 乱丢废弃物 垃圾山 拉圾乱倒 路边被人扔了很多装修废料
        有人往沟里倒垃圾 荒地变成了垃圾场
        旧家具扔在外面 旧衣柜 旧冰箱 旧电视 旧家电扔路边 破床垫 碎瓷砖 碎砖烂瓦 木板废料
        泡沫箱乱扔 渣土车乱倒 三轮车拉来倒垃圾 货车偷偷倒垃圾 空地上乱扔 桥底下乱丢 草丛里一堆垃圾
        树林边乱倒 沟里倒满垃圾 荒地堆满垃圾 垃圾越堆越多
        """,
        """
        fly tipping; fly-tipping; illegal dumping; someone dumped rubbish; rubbish dumped;
        pile of rubbish on the verge; old mattress dumped; sofa dumped on the street;
        building waste dumped; construction debris left; trash piled up on the empty lot;
        garbage dumped by the river; dumped tyres; litter everywhere; junk left on the pavement;
        bags of garbage thrown; rubish dumped;
        fly-tipped furniture; tipping rubble; builders' waste left on the verge; old fridge
        dumped; rubbish left under the bridge; someone tipped waste at night; junk dumped on
        waste ground;
        """,
    ),
    "graffiti": (
        """
        乱涂乱画 墙上乱画 涂鸦 墙被喷漆 喷漆乱喷 墙面被涂花 乱写乱画 墙上写字 小广告 贴小广告
        牛皮癣广告 办证小广告 电线杆上贴满广告 乱贴广告 张贴广告 墙上贴满传单 喷的电话号码
        墙上喷了号码 开锁通下水道广告 贷款广告 野广告 门上贴了很多卡片 公告栏被乱贴 桥墩上画满了
        地下通道里乱画 卷帘门上涂鸦 车站牌子上贴东西 楼道里贴满小广告 电箱上被贴广告 乱刻乱画
        粘贴物清不掉 小广告贴得到处都是 有人拿记号笔乱写 广告纸贴在树上 喷涂标语
        牛皮癣 记号笔乱写 马克笔乱涂 粉笔乱画 油漆乱喷 喷了字 墙面脏了 刚刷的墙被涂 贴了招租广告
        贴了招聘单 贴满纸条 二维码贴纸 乱贴乱画 地上喷广告
        """,
        """
        graffiti; graffiti on the wall; spray paint on the wall; tagging on the bridge;
        flyposting; flyers stuck everywhere; posters on the lamp posts; stickers on poles;
        someone painted on the wall; vandalised with spray paint; illegal advertising posters;
        graffitti; ads plastered on walls;
        tags on the wall; spray painted tags; scribbled with marker pen; stickers
        everywhere; flyers on the bus shelter; posters stuck on poles; offensive words
        painted; vandalism on the wall;
        """,
    ),
    "blocked-drain": (
        """
        下水道堵了 下水道堵塞 下水不通 排水不畅 雨水口堵了 雨水篦子堵了 排水沟堵了 路面积水
        积水排不出去 下雨就淹 一下雨就成河 马路成了河 积水很深 水漫到人行道 污水冒出来 污水横流
        污水外溢 下水道反臭 下水道返味 臭水沟 阴沟堵了 化粪池满了 粪水溢出 井口往外冒污水
        地漏返水 排水口被树叶堵住 雨水井堵塞 水沟里全是淤泥 管道堵塞 下水到赌了 下水道很臭
        下雨后水退不掉 积水好几天不退 涵洞积水 桥下积水车过不去 污水井满溢 臭味熏天
        冒脏水 脏水冒出来 黑水冒出来 臭水往外冒 井里冒污水 污水从盖子缝里冒 下水管往外溢
        水漫过脚脖子 要蹚水 积了一滩一滩的水 水退不下去 水排不走 排水口堵死了 格栅被垃圾堵住
        雨水箅子堵了 淤泥堵住 涵洞被淹 车泡水熄火 臭气从下水道出来
        """,
        """
        blocked drain; drain is blocked; clogged drain; gully blocked with leaves;
        flooding on the road; standing water that never drains; road floods when it rains;
        sewage overflowing; sewer smell; smelly drain; drain backing up; storm drain clogged;
        water pooling in the street; blocked sewer; blokced drain;
        dirty water coming up; sewage on the road; drain smells; gully full of leaves; water
        won't drain away; underpass flooded; drain overflowing;
        """,
    ),
    "damaged-sign": (
        """
        交通标志坏了 交通标志被撞倒 标志牌倒了 路牌倒了 路牌歪了 路牌掉了 路名牌看不清
        指示牌被挡住 指示牌褪色 标志牌被树挡住 限速牌不见了 禁停标志被撞 让行标志倒了
        停车让行牌子歪了 指路牌指错了 路牌上的字掉了 标牌松动快掉下来 交通标牌损坏
        警示牌倒在地上 减速慢行牌子旧了 学校区域标志看不清 标志杆被撞弯 牌子被风吹歪 路标缺失
        指示标志损坏 道路标识不清 标志牌生锈 路口没有指示牌 反光标志坏了 导向牌坏了
        人行横道标志倒了 交通牌子被撞飞
        牌子倒了 牌子歪了 牌子被撞弯 牌子被挡住 牌子上的字看不清 牌子褪色 指路牌 路名牌掉色
        限速牌被挡 单行道牌 箭头牌 指示牌字掉了 标志朝错方向 标志杆倒了
        """,
        """
        road sign knocked down; sign is bent; street sign missing; street name sign unreadable;
        stop sign down; speed limit sign gone; sign covered by branches; faded road sign;
        damaged traffic sign; signpost fell over; give way sign damaged; sign hanging loose;
        roadsign broken;
        sign knocked flat; sign missing from the post; sign pointing the wrong way; no entry
        sign damaged; one way sign bent; sign hidden by a tree; sign letters peeling off;
        """,
    ),
    "fallen-tree": (
        """
        树倒了 大树倒了 树被风刮倒 台风刮倒了树 树倒在路上 树压在车上 树干断了 树枝断了
        断枝挂在树上 大树枝掉下来 树枝快掉下来了 树歪了要倒 树根翘起来要倒 树倒了挡住路
        行道树倒伏 枯树要倒 树木倒伏 树杈断了 折断的树枝砸到人 树枝压到电线 暴雨后树倒了一片
        老树倾斜 树被连根拔起 倒下的树没人管 一棵树横在马路上 树枝掉了一地 断树枝挡路 树冠压下来
        树倒砸坏围墙 数倒了
        大树连根拔起 树横在路上 树干横在路中间 枝丫掉下来 树杈断了挂着 断枝悬在头顶 树被雪压断
        树压坏了车 树根拱起来 大风把树吹倒 树倒了堵路 粗树枝砸下来
        """,
        """
        fallen tree; tree fell down; tree blocking the road; tree came down in the storm;
        big branch snapped; branch hanging dangerously; tree leaning and about to fall;
        uprooted tree; tree fell on a car; broken branches on the path; tree down;
        dead tree about to collapse; trea fell;
        tree came down in the storm; bough hanging over the path; tree across the lane; tree
        on the power line; trunk blocking the road; tree roots lifting; tree struck by
        lightning;
        """,
    ),
    "abandoned-bike": (
        """
        废弃自行车 僵尸车 僵尸自行车 破自行车没人要 共享单车乱停 共享单车堆成山 共享单车倒了一地
        单车乱放 单车占道 坏的共享单车 单车挡住路 自行车锈成一堆 没人骑的自行车 车棚里废车
        楼下一堆破单车 小黄车 哈啰单车乱停 美团单车乱停 青桔单车挡路 电单车乱停 单车扔进河里
        单车堆在盲道上 共享电单车乱放 自行车没轮子 烂单车 废旧电动车没人管 单车停满人行道
        自行车长期占用 共享单车泛滥 共享单车太多
        二八大杠 老式自行车 破车架子 只剩车架 轮子没了 车胎瘪了 车座没了 锈成一堆 一层灰的自行车
        好几年没人骑 哈罗单车 小蓝车 摩拜单车 单车倒了一地 单车扫不了码 报废单车 坏单车堆在路边
        单车扔在草坪上
        """,
        """
        abandoned bike; abandoned bicycle; rusty bikes left for months; shared bikes piled up;
        dockless bikes blocking the pavement; broken bike locked to the railing;
        bike with no wheels; heap of share bikes; bicycles dumped; bikes everywhere;
        abandonned bike;
        rusty bike; bike frame left chained; bicycle with flat tyres for months; bike locked
        to the railing for ages; dockless bikes knocked over; bike left in the river;
        """,
    ),
    "noise": (
        """
        噪音扰民 太吵了 吵死了 吵得睡不着 噪音很大 半夜施工 夜间施工 晚上还在施工 工地噪音
        电钻声 打桩声 机器轰鸣 广场舞太吵 广场舞音响 音响声音太大 大喇叭 喇叭循环播放
        店门口放音乐 酒吧太吵 KTV太吵 半夜喝酒吵闹 烧烤店吵到半夜 汽车鸣笛 改装车炸街
        摩托车轰油门 凌晨还在装卸货 楼上装修太吵 施工扰民 吵得孩子没法学习 扰民 噪声污染
        吵吵闹闹 敲敲打打 轰隆隆响 嗡嗡响一整夜 造音很大 空调外机噪音 冷却塔噪音
        早上五点就开始吵
        吵得睡不着觉 吵醒了 半夜打桩 凌晨施工 电锯声 切割声 滋啦滋啦 咚咚咚 震得床都在抖 大喇叭喊
        循环播放 唱歌唱到凌晨 驻唱 划拳喝酒 轰油门 炸街 跳舞音乐太响 半夜还在吵 吵得心烦
        """,
        """
        noise; too noisy; loud music; noise at night; night construction noise;
        can't sleep because of the noise; loud party; neighbours shouting; drilling at midnight;
        square dancing music too loud; loudspeaker blaring; revving engines; noisy bar; noisey;
        jackhammering early in the morning; music blasting; speakers too loud; noisy every
        night; shouting until late; woken up by drilling; karaoke until 3am; engines revving
        at night; loud bar;
        """,
    ),
    "water-leak": (
        """
        水管爆了 水管破裂 自来水管漏水 供水管漏水 管道漏水 爆管 地下冒水 路面冒水 地面往外渗水
        地下有水涌出来 水一直往外流 清水流了一地 消防栓漏水 消火栓喷水 水表漏水 阀门漏水
        水管裂了 自来水哗哗流 路上一直有水冒出来 水从砖缝冒出 马路中间喷水 水柱喷出来 浪费水
        停水了是不是管子破了 漏水好几天 自来水跑冒滴漏 管子断了水喷出来 地下管网漏水
        供水管道破损 水管冻裂 楼下水管漏 水龙头关不上
        往外冒清水 像喷泉一样 喷出水柱 水从砖缝渗出来 地下有水声 路面一直湿 没下雨地也湿
        水管被挖破 消防栓滴水 消防栓一直流水 自来水停了 水压很低 路面结冰
        """,
        """
        water main burst; burst pipe; water leaking from the ground; water leak;
        water gushing out of the road; leaking hydrant; fire hydrant leaking;
        clean water bubbling up; water pipe broken; water spraying from a pipe;
        leaking water main; watter leak;
        burst water main; leaking pipe under the road; hydrant leaking; pipe cut by digger;
        water running down the street; road always wet; no water pressure;
        """,
    ),
    "broken-pavement": (
        """
        人行道破损 人行道砖坏了 人行道地砖松动 地砖松了 地砖翘起来 地砖碎了 地砖缺了几块
        人行道坑坑洼洼 人行道高低不平 走路被绊倒 踩上去溅一身泥水 一踩就冒泥水 人行道塌了
        人行道砖块缺失 盲道坏了 盲道砖缺失 盲道断了 台阶坏了 路沿石松动 路缘石坏了 步道破损
        人行步道不平 行人道坏了 地面砖头松动 便道破损 人行道裂缝 绊脚 老人容易摔跤 人行道上缺砖
        人形道坏了 无障碍坡道坏了
        砖松了 砖翘起来 砖拱起来 砖碎了一片 砖缺了几块 地砖踩上去晃 踩上去喷水 石板不平 盲道砖缺了
        盲道砖碎了 树根把砖顶起来 轮椅过不去 推婴儿车过不去 拄拐杖走不了 被砖绊倒 步道砖松动
        """,
        """
        broken pavement; cracked sidewalk; loose paving slab; raised paving stones;
        trip hazard on the footpath; missing tiles on the sidewalk; uneven pavement;
        tactile paving damaged; kerb stone loose; footpath broken; paving slabs wobble;
        sidewalk tiles splash; pavment broken;
        loose paving; wobbly slabs; missing paving tiles; tripped on the pavement; uneven
        footpath; cracked paving; holes in the sidewalk;
        """,
    ),
    "overflowing-bin": (
        """
        垃圾桶满了 垃圾桶满溢 垃圾桶溢出 垃圾箱满了没人倒 垃圾桶没人清运 垃圾桶爆满 垃圾桶装不下
        垃圾桶旁边堆满了 垃圾溢出来 垃圾站满了 垃圾房没人清 垃圾分类点满了 厨余垃圾桶满了
        分类垃圾桶满了 垃圾桶好几天没收 垃圾车没来 清运不及时 垃圾桶臭了 垃圾桶坏了
        垃圾桶盖子没了 果皮箱满了 垃圾桶周围脏乱 垃圾桶流臭水 垃圾桶招老鼠 环卫工好几天没来
        垃圾筒满了 拉圾桶满了 垃圾收集点溢出
        垃圾亭满了 分类亭堆满了 投放点堆满 垃圾桶塞满 桶满了 桶盖盖不上 垃圾堆到桶外面
        垃圾桶好几天没人收 没人来清 清运车没来 厨余桶没人倒 垃圾桶臭水流一地 猫狗扒垃圾桶
        桶里塞满外卖盒 大绿桶满了
        """,
        """
        bin is overflowing; overflowing bin; bins not emptied; rubbish bin full;
        trash can overflowing; litter bin full for days; garbage not collected;
        recycling bins full; food waste bin overflowing; bin collection missed;
        public bin stinks; overflowing trash; bin overfull;
        bins overflowing; wheelie bins not emptied; recycling point full; rubbish piled
        around the bin; bin lid won't close; collection missed again;
        """,
    ),
    "illegal-parking": (
        """
        违章停车 乱停车 违停 车停在人行道上 汽车占用人行道 车堵住消防通道 占用消防通道
        消防通道被堵 车停在盲道上 车停在公交站 车辆乱停乱放 车停在路口 停车挡住出口
        车挡住小区大门 车停在斑马线上 双排停车 占道停车 货车乱停 长期占用车位 私家车堵路
        车辆违停堵塞交通 车停在绿化带 僵尸汽车 废弃汽车 车停在车库门口出不去 乱停乱放的汽车
        占用车道停车 车停到了人行横道 违停严重 为停车辆 出租车乱停
        车停在门口出不去 挡住车库门 挪车电话都没留 车停在消防通道 车占了人行道 车停在盲道
        私家车占公交站 公交车靠不了站 车停在斑马线 乱停乱放 双排停 把出口堵死
        """,
        """
        illegal parking; car parked on the pavement; car blocking the fire lane;
        blocking my driveway; parked on the zebra crossing; double parking;
        cars parked at the bus stop; van parked on the sidewalk; parking on double yellow lines;
        car blocking the entrance; abandoned car; ilegal parking; parked car blocking the road;
        parked across my driveway; car parked on the pavement; van on the fire lane; parked
        on the crossing; blocking the exit; double parked again;
        """,
    ),
    "playground": (
        """
        游乐设施坏了 滑梯坏了 滑梯裂开 秋千坏了 秋千链子断了 跷跷板坏了 健身器材坏了
        健身器材松动 健身器材螺丝掉了 单杠松了 漫步机坏了 扭腰器坏了 儿童乐园设施损坏
        游乐场设备坏了 小孩玩的设施很危险 器材边缘锋利 器材生锈断裂 蹦床破了 摇摇马坏了
        攀爬架断了 沙坑里有钉子 塑胶地垫破了 健身路径器材缺件 公园里的健身器械坏了 滑滑梯坏了
        秋迁坏了 儿童设施掉漆 器材晃动 孩子玩的时候被划伤
        滑滑梯 滑梯裂了 滑梯边缘锋利 秋千坐板坏了 攀爬网破了 攀爬架松了 沙池里有玻璃 沙池有钉子
        转腰器卡住 踏板松了 漫步机轴断了 单杠晃 双杠松了 器材螺丝锈断 器材有倒刺 孩子玩的时候受伤
        小朋友被划伤
        """,
        """
        playground equipment broken; broken swing; swing chain snapped; slide is cracked;
        seesaw broken; outdoor gym equipment loose; fitness equipment broken;
        climbing frame damaged; sharp edge on the slide; play area unsafe; merry-go-round broken;
        playgroud broken; exercise machine in the park broken;
        slide cracked; swing seat broken; climbing net torn; outdoor gym machine loose;
        fitness equipment pedal broken; child hurt on the slide; kids' playground unsafe;
        """,
    ),
    "manhole-cover": (
        """
        井盖不见了 井盖丢了 井盖被偷了 井盖没了 井盖缺失 井盖破了 井盖碎了 井盖裂了 井盖松动
        井盖翻了 井盖响 车压过井盖哐当响 井盖下沉 井盖凸起 井盖移位 窨井盖 检查井盖坏了
        雨水井盖没了 污水井盖破损 井口敞开 井口没盖 地上一个黑洞 露天井口 人掉进井里 井盖塌了
        井盖踩上去会翻 井盖歪了 电力井盖破了 通信井盖坏了 井盖缺了一块 进盖不见了 井该坏了
        下水井盖没了
        井口没盖 井口敞着 盖子被偷了 盖子裂了 盖子翘起来 圆盖子 水泥盖板裂了 盖板塌了 咣咣响
        踩空掉进井里 掉进井里 检查井 电力井 污水井
        """,
        """
        manhole cover missing; missing manhole cover; open manhole; broken manhole cover;
        manhole lid cracked; drain cover missing; cover rattles when cars drive over;
        loose manhole cover; uncovered manhole; man hole cover gone; inspection cover broken;
        manhol cover;
        manhole lid missing; iron cover cracked; metal cover rocks when cars pass; drain
        cover broken; someone fell into an open manhole; cover clanks; chamber cover loose;
        """,
    ),
    "street-vending": (
        """
        占道经营 摆地摊 路边摆摊 流动摊贩 小贩占道 摊贩堵路 夜市占道 烧烤摊占道 水果摊摆到路上
        卖菜的摆满人行道 早餐摊占用人行道 店外经营 商铺货物摆到门外 出店经营 马路市场
        小推车卖东西 三轮车卖水果 地摊堵住路口 摊位占了盲道 沿街叫卖 无证摊贩 烧烤油烟
        夜宵摊桌椅摆到路上 饭店把桌子摆到人行道 占道摆卖 乱摆摊 路边卖菜 占到经营 摆摊设点
        门口堆满货
        摆地摊 摆摊占了人行道 卖水果的摊子 卖菜的三轮车 炸串摊 奶茶摊 小摊小贩 门口堆货占道
        修车铺在路边修车 洗车店占道 夜市摊位摆到路上 烧烤摊占路 推车卖东西堵路口 出摊堵门口
        """,
        """
        street vendor; street vendors blocking the pavement; illegal stalls;
        hawkers on the sidewalk; market stalls on the footpath; food cart blocking the way;
        shop goods on the pavement; restaurant tables on the sidewalk; night market stalls;
        unlicensed vendors; barbecue stall smoke; street hawker; vendor blocking the crossing;
        market stalls on the pavement; traders blocking the footpath; fruit carts at the
        junction; tables out on the sidewalk; shop displays on the pavement; night market
        stalls blocking the way; car repairs done on the pavement;
        """,
    ),
}


def _phrases(chinese, english):
    return (*chinese.split(), *(p.strip() for p in english.split(";") if p.strip()))


PHRASES = {code: _phrases(*texts) for code, texts in _TEXT.items()}

# Words around a complaint that say nothing of its kind: the training mixes them into the
# phrases above, so that the classifier learns to look past them.
OPENINGS_ZH = (
    "",
    "",
    "你好，",
    "您好，",
    "请问，",
    "麻烦管一下，",
    "投诉：",
    "反映一下，",
    "我家楼下",
    "小区门口",
    "我们这条路上",
    "学校旁边",
    "菜市场附近",
    "公交站旁边",
    "十字路口",
    "马路对面",
    "公园里",
    "路口那里",
    "我们村",
    "老街上",
    "地铁站出口",
    "单位门口",
    "医院门口",
)
CLOSINGS_ZH = (
    "",
    "",
    "。",
    "！",
    "，好几天了",
    "，希望尽快处理",
    "，谢谢",
    "，没人管",
    "，太影响生活了",
    "，请相关部门处理",
    "，一个多月了",
    "，已经反映过好几次",
    "，麻烦尽快来看看",
    "，很不方便",
    "，大家都有意见",
    "，每天都这样",
)
OPENINGS_EN = (
    "",
    "",
    "hi, ",
    "hello, ",
    "there is ",
    "near my house ",
    "outside the school ",
    "on our street ",
    "by the bus stop ",
    "at the junction ",
    "in front of the shop ",
)
CLOSINGS_EN = (
    "",
    "",
    ".",
    "!",
    " for days",
    ", please fix it",
    ", thanks",
    " and nobody does anything",
    " again",
    " for weeks now",
    ", please send someone",
)
