#!/usr/bin/python3
"""expense_client.py — an existing application's view of sdbc (R3).

Submits a community expense, has it signed, sent, re-reviewed and paid, and
shows the errors it gets back when a rule is broken: each has its own
SQLSTATE (class SD), the rule in its detail and what would satisfy it in its
hint.  Uses Debian's psycopg2 (apt-get install python3-psycopg2).

    python3 docs/examples/expense_client.py "host=/tmp port=5432 dbname=app"

The database needs `CREATE EXTENSION sdbc CASCADE`: a fresh one, or the
demo's (`bash test/run.sh demo`).  The script adds five people and an account
to 前进社区 (652901001001, 兰干街道; the division rows are added if missing),
pays a payee of its own (so the demo's expenses are not added up with its
own as a split), takes the amount just under the limit in force there
(policy, R14.1), rolls everything back and exits 0 when everything behaved
as described.
"""
import sys

import psycopg2
import psycopg2.errors


def setup(cur):
    """A street, a community, five people in their offices, one account."""
    cur.execute("""
        INSERT INTO sdbc.division (code, name) VALUES
          ('65', '新疆维吾尔自治区'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'),
          ('652901001', '兰干街道'), ('652901001001', '前进社区')
        ON CONFLICT DO NOTHING""")
    people = {}
    for name, division, office in [
            ('经办甲', '652901001001', 'community_handler'),
            ('经办乙', '652901001001', 'community_handler'),
            ('经办丙', '652901001001', 'community_handler'),
            ('财务丁', '652901001001', 'community_finance_lead'),
            ('街财戊', '652901001', 'street_finance_office')]:
        cur.execute("INSERT INTO sdbc.staff (name, division) VALUES (%s, %s) RETURNING staff_id",
                    (name, division))
        people[name] = cur.fetchone()[0]
        cur.execute("""INSERT INTO sdbc.office_member (staff_id, office, division, valid_from)
                       VALUES (%s, %s, %s, '2020-01-01')""", (people[name], office, division))
    cur.execute("""INSERT INTO sdbc.account (community, kind, name)
                   VALUES ('652901001001', 'working', '工作经费') RETURNING account_id""")
    account = cur.fetchone()[0]
    cur.execute("SELECT sdbc.credit(%s, 10000, '2024 拨款')", (account,))
    return people, account


def expect_error(conn, sqlstate, sql, args):
    """Run sql in a savepoint; it must fail with sqlstate.  Print what the app sees."""
    cur = conn.cursor()
    cur.execute("SAVEPOINT try")
    try:
        cur.execute(sql, args)
    except psycopg2.Error as e:
        cur.execute("ROLLBACK TO SAVEPOINT try")
        diag = e.diag
        print(f"  refused {e.pgcode}: {diag.message_primary}")
        print(f"    detail: {diag.message_detail}")
        print(f"    hint:   {diag.message_hint}")
        return e.pgcode == sqlstate
    print(f"  expected {sqlstate}, but it succeeded")
    return False


def main(dsn):
    """The walk-through; returns the number of surprises."""
    conn = psycopg2.connect(dsn)
    cur = conn.cursor()
    surprises = 0
    people, account = setup(cur)
    # just under the limit in force for the community today (5,000 by default)
    cur.execute("SELECT sdbc.policy_value('expense.small_limit', '652901001001') - 200")
    amount = cur.fetchone()[0]
    payee = '文具店 (expense_client.py)'

    print(f"submit {amount:,.2f} yuan (up to the limit: R3.2 route)")
    cur.execute("SELECT sdbc.submit_expense(%s, '办公用品', %s, %s, %s)",
                (account, payee, amount, people['经办甲']))
    expense = cur.fetchone()[0]
    cur.execute("SELECT route_code FROM sdbc.expense WHERE expense_id = %s", (expense,))
    route = cur.fetchone()[0]
    print(f"  expense {expense} on route {route}")
    surprises += route != 'expense_small'

    print("the submitter tries to sign it himself")
    surprises += not expect_error(conn, 'SD304', "SELECT sdbc.sign(%s, %s)", (expense, people['经办甲']))

    print("paying before the route is complete")
    surprises += not expect_error(conn, 'SD322', "SELECT sdbc.pay(%s, %s)", (expense, people['街财戊']))

    for who in ('经办乙', '经办丙', '财务丁', '街财戊'):
        cur.execute("SELECT current_step, status FROM sdbc.sign(%s, %s)", (expense, people[who]))
        step, status = cur.fetchone()
        print(f"  {who} acts: case now at step {step}, {status}")
    surprises += status != 'approved'

    print("pay it")
    cur.execute("SELECT paid_at IS NOT NULL FROM sdbc.pay(%s, %s)", (expense, people['街财戊']))
    surprises += not cur.fetchone()[0]
    cur.execute("SELECT balance FROM sdbc.account_balance WHERE account_id = %s", (account,))
    balance = cur.fetchone()[0]
    print(f"  balance {balance}")
    surprises += balance != 10000 - amount

    print("pay it again")
    surprises += not expect_error(conn, 'SD323', "SELECT sdbc.pay(%s, %s)", (expense, people['街财戊']))

    print("an amount with three decimals")
    surprises += not expect_error(conn, '23514',
                                  "SELECT sdbc.submit_expense(%s, '办公', %s, 10.005, %s)",
                                  (account, payee, people['经办甲']))

    cur.execute("SELECT count(*) FROM sdbc.verify_chain((SELECT case_id FROM sdbc.expense WHERE expense_id = %s))",
                (expense,))
    broken = cur.fetchone()[0]
    print(f"decision chain intact: {broken == 0}")
    surprises += broken != 0

    conn.rollback()   # leave the database as it was
    conn.close()
    return surprises


if __name__ == '__main__':
    n = main(sys.argv[1] if len(sys.argv) > 1 else '')
    print(f"{'all as expected' if n == 0 else f'{n} surprises'}")
    sys.exit(1 if n else 0)
