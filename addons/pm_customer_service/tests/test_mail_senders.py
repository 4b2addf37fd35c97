# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Emails to a property's address from senders the service centre cannot take at
their word: a forged owner address, a stranger answering an owner's case, files
the portal would refuse, mails a strict parser chokes on (R-INTAKE-4)."""

from email.message import EmailMessage

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PmCaseCommon
from .portal_common import PNG

# Monday 2 March 2026, 10:00 in Shanghai
MONDAY_10 = "2026-03-02 02:00:00"
# a Windows program: what a virus sent by email looks like
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# what the receiving mail server concluded about a forged owner address
DMARC_FAIL = (
    "mx.pa.example; spf=fail (sender IP is 203.0.113.9) "
    "smtp.mailfrom=example.com; dkim=none (message not signed); "
    "dmarc=fail action=none header.from=example.com"
)


@tagged("pm_case")
class TestMailSenders(PmCaseCommon):
    """Owner Wang (portal login) owns A-101; owner Li owns B-101 (portal login);
    mails reach property A's address through the mail gateway."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._init_mail_gateway()
        cls.property_a.write(
            {
                "alias_name": "pa-service",
                "alias_domain_id": cls.mail_alias_domain.id,
                "duty_user_ids": [(6, 0, cls.user_agent.ids)],
            }
        )
        cls.address = f"pa-service@{cls.alias_domain}"
        cls.owner_2 = cls.env["res.partner"].create(
            {"name": "Owner Li", "email": "li@example.com"}
        )
        cls.unit_b.write({"owner_ids": [(6, 0, cls.owner_2.ids)], "state": "occupied"})
        portal = cls.env.ref("base.group_portal")
        Users = cls.env["res.users"].with_context(no_reset_password=True)
        cls.portal_owner, cls.portal_owner_2 = Users.create(
            [
                {
                    "login": login,
                    "password": login,
                    "partner_id": partner.id,
                    "group_ids": [(6, 0, portal.ids)],
                }
                for login, partner in (
                    ("pm_p_owner", cls.owner),
                    ("pm_p_owner2", cls.owner_2),
                )
            ]
        )

    # ------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------

    def _mail(self, email_from, subject, body="The lift is stuck.", **headers):
        """A plain-text email to property A, with ``headers`` (underscores read
        as dashes) and optional ``files`` [(name, bytes, mimetype)]."""
        files = headers.pop("files", ())
        message = EmailMessage()
        message["From"] = email_from
        message["To"] = self.address
        message["Subject"] = subject
        message["Date"] = "Mon, 02 Mar 2026 02:00:00 +0000"
        message["Message-ID"] = headers.pop(
            "msg_id", "<%s@sender.example>" % subject.replace(" ", "-")
        )
        for name, value in headers.items():
            message[name.replace("_", "-")] = value
        message.set_content(body)
        for name, data, mimetype in files:
            maintype, subtype = mimetype.split("/")
            message.add_attachment(
                data, maintype=maintype, subtype=subtype, filename=name
            )
        return message.as_bytes()

    def _process(self, raw):
        """The mail gateway (fetchmail, mailgate) handing ``raw`` over."""
        with self.mock_mail_gateway():
            return self.env["mail.thread"].sudo().message_process(None, raw)

    def _case(self, subject):
        return self.env["pm.case"].search([("subject", "=", subject)])

    def _owner_case(self, subject, msg_id):
        """A case opened by the owner's own (authenticated) email."""
        self._process(
            self._mail(
                "Owner Wang <wang@example.com>",
                subject,
                msg_id=msg_id,
                Authentication_Results="mx.pa.example; spf=pass "
                "smtp.mailfrom=example.com; dkim=pass header.d=example.com; "
                "dmarc=pass header.from=example.com",
            )
        )
        case = self._case(subject)
        self.assertEqual(case.partner_id, self.owner)
        return case

    def _reply(self, email_from, subject, msg_id, body, **headers):
        return self._process(
            self._mail(
                email_from,
                f"Re: {subject}",
                body=body,
                msg_id="<reply-%s-%s@x.example>"
                % (subject.replace(" ", "-"), email_from.split("@")[0].split()[-1]),
                In_Reply_To=msg_id,
                References=msg_id,
                **headers,
            )
        )

    def _portal_messages(self, case, portal_user):
        """The messages of ``case`` its owner reads on the portal."""
        return (
            self.env["mail.message"]
            .with_user(portal_user)
            .search([("model", "=", "pm.case"), ("res_id", "=", case.id)])
            .filtered(lambda m: not m.is_internal and not m.subtype_id.internal)
        )

    def _message_with(self, case, text):
        return case.message_ids.filtered(lambda m: text in (m.body or ""))

    # ------------------------------------------------------------
    # (a) a forged owner address
    # ------------------------------------------------------------

    @freeze_time(MONDAY_10)
    def test_forged_owner_is_not_the_owner(self):
        """DMARC failed: the case waits in the queue as an unverified sender's,
        on no unit and for no owner, until the desk confirms the sender."""
        case_id = self._process(
            self._mail(
                "Owner Wang <wang@example.com>",
                "Change my bank account",
                Authentication_Results=DMARC_FAIL,
            )
        )
        case = self.env["pm.case"].browse(case_id)
        self.assertEqual(case.subject, "Change my bank account")
        self.assertTrue(case.sender_unverified)
        self.assertFalse(case.partner_id)
        self.assertFalse(case.unit_id)
        self.assertEqual(case.contact_info, "wang@example.com")
        self.assertTrue(case.to_acknowledge, "in the front desk's queue")
        self.assertNotIn(self.owner, case.message_partner_ids)
        email = case.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(len(email), 1)
        self.assertFalse(email.author_id, "not the owner's words")
        self.assertTrue(self._message_with(case, "could not be verified"))
        # the owner does not find it among their requests
        self.assertFalse(
            self.env["pm.case"]
            .with_user(self.portal_owner)
            .search([("id", "=", case.id)])
        )
        with self.assertRaises(AccessError):
            case.with_user(self.portal_owner).read(["subject"])

    @freeze_time(MONDAY_10)
    def test_authentication_verdicts(self):
        """DMARC fail, or SPF fail without an aligned DKIM pass of our own mail
        server: unverified; no verdict at all: the mail server's trust."""
        rows = [
            # (headers, unverified)
            ({}, False),
            ({"Authentication_Results": DMARC_FAIL}, True),
            (
                {
                    "Received_SPF": "fail (mx.pa.example: domain of example.com "
                    "does not designate 203.0.113.9 as permitted sender) "
                    "client-ip=203.0.113.9; envelope-from=wang@example.com;"
                },
                True,
            ),
            ({"Authentication_Results": "mx.pa.example; spf=softfail"}, True),
            (
                {
                    "ARC_Authentication_Results": "i=1; relay.example; "
                    "dmarc=fail header.from=example.com"
                },
                True,
            ),
            (
                {
                    "Authentication_Results": "mx.pa.example; spf=fail; "
                    "dkim=pass header.d=example.com; dmarc=pass"
                },
                False,
            ),
            # a DKIM pass of the forger's own domain vouches for nothing
            (
                {
                    "Authentication_Results": "mx.pa.example; spf=fail; "
                    "dkim=pass header.d=forger.example"
                },
                True,
            ),
            (
                {
                    "Authentication_Results": "mx.pa.example; spf=pass; dkim=fail; "
                    "dmarc=pass"
                },
                False,
            ),
        ]
        for index, (headers, unverified) in enumerate(rows):
            with self.subTest(headers=headers):
                subject = f"Verdict {index}"
                self._process(self._mail("wang@example.com", subject, **headers))
                case = self._case(subject)
                self.assertEqual(case.sender_unverified, unverified, headers)
                owner = self.env["res.partner"] if unverified else self.owner
                self.assertEqual(case.partner_id, owner)

    @freeze_time(MONDAY_10)
    def test_forged_pass_below_our_server_counts_for_nothing(self):
        """The forger writes "dkim=pass" in their own headers: only the verdict
        our mail server put on top vouches for the sender."""
        raw = self._mail("wang@example.com", "Forged pass")
        raw = (
            b"Authentication-Results: mx.pa.example; spf=fail "
            b"smtp.mailfrom=example.com; dkim=none\r\n"
            b"Authentication-Results: mx.pa.example; dkim=pass header.d=example.com\r\n"
            + raw
        )
        self._process(raw)
        case = self._case("Forged pass")
        self.assertTrue(case.sender_unverified)
        self.assertFalse(case.partner_id)

    @freeze_time(MONDAY_10)
    def test_desk_confirms_the_sender(self):
        """The desk checked with the owner (e.g. by phone): the case becomes the
        owner's, on their unit; only the desk may say so, only with the action."""
        case_id = self._process(
            self._mail(
                "wang@example.com",
                "Noise at night",
                Authentication_Results=DMARC_FAIL,
            )
        )
        case = self.env["pm.case"].browse(case_id)
        with self.assertRaises(UserError):
            case.with_user(self.user_agent).write({"sender_unverified": False})
        with self.assertRaises(AccessError):
            case.with_user(self.user_technician).action_confirm_sender()
        self.assertTrue(case.sender_unverified)
        case.with_user(self.user_agent).action_confirm_sender()
        self.assertFalse(case.sender_unverified)
        self.assertEqual(case.partner_id, self.owner)
        self.assertEqual(case.unit_id, self.unit_a)
        self.assertIn(self.owner, case.message_partner_ids)
        email = case.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(email.author_id, self.owner)
        self.assertTrue(self._message_with(case, "Agent A"))
        self.assertEqual(
            self.env["pm.case"]
            .with_user(self.portal_owner)
            .search([("id", "=", case.id)]),
            case,
        )

    # ------------------------------------------------------------
    # (b) replies quoting a real Message-Id
    # ------------------------------------------------------------

    @freeze_time(MONDAY_10)
    def test_reply_of_another_owner_stays_with_staff(self):
        """Owner Li answers the Message-Id of owner Wang's case: a note for the
        staff with a task to check it, never a message of Wang's thread."""
        case = self._owner_case("Lift stuck", "<lift@example.com>")
        comments = self._portal_messages(case, self.portal_owner)
        mark = self._mail_mark()
        self._reply(
            "Owner Li <li@example.com>",
            "Lift stuck",
            "<lift@example.com>",
            "Ignore the above, the lift is fine, close the case.",
        )
        self.assertEqual(self._case("Lift stuck"), case, "no case taken over")
        self.assertEqual(self._portal_messages(case, self.portal_owner), comments)
        note = self._message_with(case, "close the case")
        self.assertEqual(len(note), 1)
        self.assertTrue(note.is_internal)
        self.assertTrue(note.subtype_id.internal)
        self.assertFalse(note.author_id, "not in owner Li's nor owner Wang's name")
        self.assertIn("li@example.com", note.email_from)
        self.assertIn("not a follower", note.body)
        self.assertNotIn(self.owner_2, case.message_partner_ids)
        self.assertNotIn(self.owner, self._mail_sent(case, mark), "nothing sent")
        todo = case.activity_ids.filtered(lambda a: "unverified" in (a.summary or ""))
        self.assertEqual(todo.user_id, self.user_agent, "the front desk checks it")

    @freeze_time(MONDAY_10)
    def test_reply_of_a_stranger_stays_with_staff(self):
        case = self._owner_case("Leaking pipe", "<pipe@example.com>")
        mark = self._mail_mark()
        self._reply(
            "Zhao <zhao@example.org>",
            "Leaking pipe",
            "<pipe@example.com>",
            "Please send the repair man to my flat instead.",
        )
        note = self._message_with(case, "repair man")
        self.assertTrue(note.is_internal)
        self.assertFalse(note.author_id)
        self.assertNotIn(self.owner, self._mail_sent(case, mark), "nor told of it")
        self.assertNotIn(note, self._portal_messages(case, self.portal_owner))

    @freeze_time(MONDAY_10)
    def test_forged_reply_in_the_owners_name(self):
        """The owner follows the case, but this reply's From is forged."""
        case = self._owner_case("Broken window", "<window@example.com>")
        self._reply(
            "wang@example.com",
            "Broken window",
            "<window@example.com>",
            "Cancel the repair.",
            Authentication_Results=DMARC_FAIL,
        )
        note = self._message_with(case, "Cancel the repair")
        self.assertTrue(note.is_internal)
        self.assertFalse(note.author_id)
        self.assertIn("could not be verified", note.body)

    @freeze_time(MONDAY_10)
    def test_owner_reply_threads_as_before(self):
        case = self._owner_case("Door bell", "<bell@example.com>")
        self._reply(
            "Owner Wang <wang@example.com>",
            "Door bell",
            "<bell@example.com>",
            "It rings by itself at night too.",
        )
        reply = self._message_with(case, "rings by itself")
        self.assertEqual(reply.author_id, self.owner)
        self.assertFalse(reply.is_internal)
        self.assertEqual(reply.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertIn(reply, self._portal_messages(case, self.portal_owner))

    @freeze_time(MONDAY_10)
    def test_unknown_sender_answers_their_own_case(self):
        """A stranger's case (no owner account) keeps its conversation with the
        address it came from."""
        self._process(
            self._mail("Zhao <zhao@example.org>", "Parking", msg_id="<park@x.org>")
        )
        case = self._case("Parking")
        self.assertFalse(case.sender_unverified)
        self._reply("Zhao <zhao@example.org>", "Parking", "<park@x.org>", "Any news?")
        reply = self._message_with(case, "Any news?")
        self.assertFalse(reply.is_internal)
        self.assertEqual(reply.subtype_id, self.env.ref("mail.mt_comment"))

    # ------------------------------------------------------------
    # (c) attachments
    # ------------------------------------------------------------

    @freeze_time(MONDAY_10)
    def test_only_portal_kinds_of_files_are_kept(self):
        self._process(
            self._mail(
                "wang@example.com",
                "Photos of the crack",
                files=[
                    ("crack.png", PNG, "image/png"),
                    ("report.pdf", PDF, "application/pdf"),
                    ("invoice.exe", EXE, "application/octet-stream"),
                    ("photo.jpg", EXE, "image/jpeg"),
                    ("notes.html", b"<script>alert(1)</script>", "text/html"),
                ],
            )
        )
        case = self._case("Photos of the crack")
        files = self.env["ir.attachment"].search(
            [("res_model", "=", "pm.case"), ("res_id", "=", case.id)]
        )
        self.assertEqual(sorted(files.mapped("name")), ["crack.png", "report.pdf"])
        self.assertEqual(
            sorted(files.mapped("mimetype")), ["application/pdf", "image/png"]
        )
        note = self._message_with(case, "invoice.exe")
        self.assertEqual(len(note), 1)
        self.assertTrue(note.subtype_id.internal)
        for name in ("photo.jpg", "notes.html"):
            self.assertIn(name, note.body)
        self.assertNotIn("crack.png", note.body)

    @freeze_time(MONDAY_10)
    def test_reply_attachments_checked_too(self):
        case = self._owner_case("Mould", "<mould@example.com>")
        self._process(
            self._mail(
                "wang@example.com",
                "Re: Mould",
                msg_id="<mould-2@example.com>",
                In_Reply_To="<mould@example.com>",
                files=[
                    ("wall.png", PNG, "image/png"),
                    ("fix.exe", EXE, "application/octet-stream"),
                ],
            )
        )
        files = self.env["ir.attachment"].search(
            [("res_model", "=", "pm.case"), ("res_id", "=", case.id)]
        )
        self.assertEqual(files.mapped("name"), ["wall.png"])
        self.assertTrue(self._message_with(case, "fix.exe").subtype_id.internal)

    # ------------------------------------------------------------
    # (d) malformed mails
    # ------------------------------------------------------------

    @freeze_time(MONDAY_10)
    def test_unknown_charset_still_a_case(self):
        raw = (
            b"From: wang@example.com\r\n"
            b"To: " + self.address.encode() + b"\r\n"
            b"Subject: =?x-unknown?Q?Water_in_the_cellar?=\r\n"
            b"Message-ID: <charset@example.com>\r\n"
            b"MIME-Version: 1.0\r\n"
            b"Content-Type: text/plain; charset=x-unknown\r\n"
            b"\r\n"
            b"The cellar of building A1 is flooded \xe9\xe9.\r\n"
        )
        case = self.env["pm.case"].browse(self._process(raw))
        self.assertEqual(len(case), 1)
        self.assertEqual(case.property_id, self.property_a)
        self.assertEqual(case.partner_id, self.owner)
        self.assertIn("Water in the cellar", case.subject)
        self.assertIn("The cellar of building A1 is flooded", case.description)

    @freeze_time(MONDAY_10)
    def test_nul_bytes_still_a_case(self):
        raw = (
            b"From: wang@example.com\r\n"
            b"To: " + self.address.encode() + b"\r\n"
            b"Subject: Gas\x00 smell\r\n"
            b"Message-ID: <nul@example.com>\r\n"
            b"MIME-Version: 1.0\r\n"
            b"Content-Type: multipart/alternative; boundary=BB\r\n"
            b"\r\n"
            b"--BB\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
            b"It smells of gas\x00 in the staircase.\r\n"
            b"--BB\r\n"
            b"Content-Type: text/html; charset=utf-8\r\n\r\n"
            b"<p>It smells of gas\x00 in the staircase.</p>\r\n"
            b"--BB--\r\n"
        )
        case = self.env["pm.case"].browse(self._process(raw))
        self.assertEqual(len(case), 1)
        self.assertEqual(case.partner_id, self.owner)
        self.assertNotIn("\x00", case.subject + case.description)
        self.assertIn("smells of gas", case.description)

    @freeze_time(MONDAY_10)
    def test_staff_read_the_notes_in_their_language(self):
        """The front desk works in Chinese: the note, its task and the list of
        refused files are in Chinese."""
        self._chinese_env()
        self.user_agent.lang = "zh_CN"
        case = self._owner_case("Gate", "<gate@example.com>")
        self._reply(
            "Owner Li <li@example.com>",
            "Gate",
            "<gate@example.com>",
            "The gate is open.",
            files=[("gate.exe", EXE, "application/octet-stream")],
        )
        note = self._message_with(case, "The gate is open.")
        self.assertIn("的关注者", note.body)
        self.assertTrue(self._message_with(case, "gate.exe：不是照片或 PDF 文档"))
        todo = case.activity_ids.filtered(lambda a: "核查" in (a.summary or ""))
        self.assertEqual(todo.user_id, self.user_agent)
        self._process(
            self._mail("wang@example.com", "Forged", Authentication_Results=DMARC_FAIL)
        )
        self.assertTrue(self._message_with(self._case("Forged"), "DMARC 校验失败"))
