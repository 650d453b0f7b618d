# A crash in the middle of a batch of approvals and payments (R3.2, R3.4):
# the server is killed with -m immediate while a session signs, approves and
# pays expenses one transaction each; after the restart no decision chain is
# broken, no expense is paid twice, every paid expense has exactly one debit,
# and the batch can simply be run again to the end.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use IPC::Run;
use Time::HiRes qw(usleep);
use Test::More;

my $expenses = 3000;

my $node = PostgreSQL::Test::Cluster->new('crash');
$node->init;
$node->start;
$node->safe_psql('postgres', qq{
  CREATE EXTENSION sdbc CASCADE;
  INSERT INTO sdbc.division (code, name) VALUES
    ('65', '新疆维吾尔自治区'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'),
    ('652901001', '兰干街道'), ('652901001001', '前进社区居民委员会');
  INSERT INTO sdbc.staff (name, division) VALUES ('经办甲', '652901001001'), ('经办乙', '652901001001'),
    ('经办丙', '652901001001'), ('财务丁', '652901001001'), ('街财戊', '652901001');
  INSERT INTO sdbc.office_member (staff_id, office, division, valid_from) VALUES
    (2, 'community_handler', '652901001001', '2020-01-01'), (3, 'community_handler', '652901001001', '2020-01-01'),
    (4, 'community_finance_lead', '652901001001', '2020-01-01'), (5, 'street_finance_office', '652901001', '2020-01-01');
  INSERT INTO sdbc.account (community, kind, name) VALUES ('652901001001', 'working', '工作经费');
  SELECT sdbc.credit(1, 1000000, '拨款');
  -- one payee each, so that none is a split of another
  SELECT count(sdbc.submit_expense(1, '办公', '商户' || i, 100 + i % 50, 1)) FROM generate_series(1, $expenses) i;
  CREATE PROCEDURE public.approve_and_pay_all() LANGUAGE plpgsql AS \$\$
  DECLARE
    e bigint;
  BEGIN
    FOR e IN SELECT expense_id FROM sdbc.expense WHERE paid_at IS NULL ORDER BY expense_id LOOP
      PERFORM sdbc.sign(e, 2);
      PERFORM sdbc.sign(e, 3);
      PERFORM sdbc.sign(e, 4);
      PERFORM sdbc.sign(e, 5);
      PERFORM sdbc.pay(e, 5);
      COMMIT;
    END LOOP;
  END \$\$;
});

# The batch runs in its own session; the server is killed once some
# expenses are paid and while the batch is still going.
my ($out, $err) = ('', '');
my $batch = IPC::Run::start(
	[ 'psql', '-X', '-q', '-d', $node->connstr('postgres'), '-c', 'CALL public.approve_and_pay_all()' ],
	'>', \$out, '2>', \$err);
my $paid = 0;
foreach my $try (1 .. 600)
{
	$paid = $node->safe_psql('postgres', 'SELECT count(*) FROM sdbc.expense WHERE paid_at IS NOT NULL');
	last if $paid >= 50;
	usleep(100_000);
}
ok($paid >= 50, "the batch paid some expenses before the crash ($paid)");
$node->stop('immediate');
$batch->finish;
$node->start;

my $after = $node->safe_psql('postgres', 'SELECT count(*) FROM sdbc.expense WHERE paid_at IS NOT NULL');
cmp_ok($after, '<', $expenses, "the crash came in the middle of the batch ($after of $expenses paid)");

# What must hold after a crash, and again after the batch has been finished.
sub check_books
{
	my ($when) = @_;
	is($node->safe_psql('postgres',
		'SELECT count(*) FROM sdbc.approval_case c WHERE EXISTS (SELECT 1 FROM sdbc.verify_chain(c.case_id))'),
		'0', "$when: no decision chain is broken");
	is($node->safe_psql('postgres',
		q{SELECT count(*) FROM (SELECT expense_id FROM sdbc.account_entry WHERE kind = 'debit'
		   GROUP BY expense_id HAVING count(*) > 1) x}),
		'0', "$when: no expense is debited twice");
	is($node->safe_psql('postgres',
		q{SELECT count(*) FROM sdbc.expense e
		   WHERE (e.paid_at IS NOT NULL) <> EXISTS (SELECT 1 FROM sdbc.account_entry a
		                                             WHERE a.expense_id = e.expense_id AND a.kind = 'debit')}),
		'0', "$when: an expense is paid exactly when its debit exists");
	is($node->safe_psql('postgres',
		q{SELECT count(*) FROM sdbc.expense e JOIN sdbc.approval_case c USING (case_id)
		   WHERE e.paid_at IS NOT NULL AND c.status <> 'approved'}),
		'0', "$when: nothing is paid before its route is complete");
	is($node->safe_psql('postgres',
		q{SELECT b.balance = 1000000 - (SELECT coalesce(sum(amount), 0) FROM sdbc.expense WHERE paid_at IS NOT NULL)
		    FROM sdbc.account_balance b WHERE b.account_id = 1}),
		't', "$when: the balance is the credit less the paid expenses");
}

check_books('after the crash');

# The batch started again finishes the rest; each expense is all or nothing.
$node->safe_psql('postgres', 'CALL public.approve_and_pay_all()');
is($node->safe_psql('postgres', 'SELECT count(*) FROM sdbc.expense WHERE paid_at IS NULL'),
	'0', 'the batch run again pays the rest');
check_books('after the batch is finished');

$node->stop;
done_testing();
