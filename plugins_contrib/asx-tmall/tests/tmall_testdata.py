"""Builders of Tmall order report lines for the tests."""

HEADER = ("订单编号,买家会员名,买家支付宝账号,买家应付货款,买家应付邮费,总金额,买家实际支付金额,订单状态,买家留言,"
          "收货人姓名,收货地址 ,运送方式,联系电话 ,联系手机,订单创建时间,订单付款时间 ,宝贝标题 ,宝贝种类 ,物流单号 ,"
          "物流公司,订单备注,宝贝总数量,店铺Id,店铺名称,订单关闭原因,退款金额,确认收货时间")


def order_line(no, buyer, paid, status, created, paid_at="", phone="'13812345678", name="张三丰"):
    return (f'="{no}",{buyer},{buyer}@163.com,{paid}元,0.00元,{paid}元,{paid}元,{status},,{name},'
            f'浙江省杭州市西湖区文三路1号 ,快递, ,{phone},{created},{paid_at},纯棉四件套 ,1 ,YT123 ,圆通,,1,1001,'
            f'示例天猫旗舰店,,无退款申请,')



QIANNIU_HEADER = "评价时间,买家昵称,订单号,子订单号,评价结果,评价内容,追加评论,宝贝标题,宝贝链接,商家回复"


def qianniu_line(created, nick, tid, result, content, append="", oid="", title="记忆棉枕头", item_id="612345678901"):
    oid_cell = f'="{oid}"' if oid else ""
    return (f'{created},{nick},="{tid}",{oid_cell},{result},{content},{append},{title},'
            f"https://detail.tmall.com/item.htm?spm=a1z10&id={item_id},")
