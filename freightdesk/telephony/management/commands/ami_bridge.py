"""``manage.py ami_bridge``: connect an Asterisk PBX (AMI) to FreightDesk's CTI API (README "Telephony")."""

import asyncio
import logging
import os

from django.core.management.base import BaseCommand, CommandError

from freightdesk.telephony.ami import AGENT_CHANNEL, AmiBridge, AmiTranslator, ApiSink, serve
from freightdesk.telephony.ami_dial import DialPoller

logger = logging.getLogger("freightdesk.telephony.ami")


class Command(BaseCommand):
    help = (
        "Listen to an Asterisk Manager Interface and post every call's ringing/answered/hangup/recording "
        "to FreightDesk's POST /api/v1/cti/events/batch. Runs until stopped; reconnects by itself."
    )

    def add_arguments(self, parser):
        env = os.environ.get
        parser.add_argument("--host", default=env("FREIGHTDESK_AMI_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(env("FREIGHTDESK_AMI_PORT", "5038")))
        parser.add_argument(
            "--username",
            default=env("FREIGHTDESK_AMI_USERNAME", "freightdesk"),
            help="the [user] of Asterisk's manager.conf",
        )
        parser.add_argument("--secret", default=env("FREIGHTDESK_AMI_SECRET", ""))
        parser.add_argument("--api-url", default=env("FREIGHTDESK_API_URL", "http://127.0.0.1:8000/api/v1"))
        parser.add_argument(
            "--token",
            default=env("FREIGHTDESK_CTI_TOKEN", ""),
            help="a token of a user in the integration group (manage.py issue_token pbx)",
        )
        parser.add_argument(
            "--recording-url",
            default=env("FREIGHTDESK_RECORDING_URL", ""),
            help="where the PBX serves its MixMonitor files, e.g. https://pbx.example.com/monitor",
        )
        parser.add_argument(
            "--agent-channel",
            default=AGENT_CHANNEL,
            help="regular expression whose group 1 is the agent id in an agent's channel name",
        )
        parser.add_argument(
            "--originate-channel",
            default=env("FREIGHTDESK_ORIGINATE_CHANNEL", "PJSIP/{agent}"),
            help="click-to-call: the channel that rings the agent's phone first ({agent} = his agent id)",
        )
        parser.add_argument(
            "--originate-context",
            default=env("FREIGHTDESK_ORIGINATE_CONTEXT", "from-internal"),
            help="click-to-call: the dialplan context that dials the customer's number",
        )
        parser.add_argument(
            "--no-dial",
            action="store_true",
            help="do not take click-to-call requests (the agents then get tel: links)",
        )

    def handle(self, *args, **options):
        from panoramisk import Manager

        if not options["token"] or not options["secret"]:
            raise CommandError(
                "Give --secret (AMI) and --token (FreightDesk integration token), or set "
                "FREIGHTDESK_AMI_SECRET and FREIGHTDESK_CTI_TOKEN."
            )
        asyncio.run(self.bridge(Manager, options))

    async def bridge(self, manager_class, options):
        import aiohttp

        manager = manager_class(
            loop=asyncio.get_running_loop(),
            host=options["host"],
            port=options["port"],
            username=options["username"],
            secret=options["secret"],
            events="call,agent,dialplan",
        )
        sink = ApiSink(options["api_url"], options["token"])
        AmiBridge(
            manager, AmiTranslator(agent_channel=options["agent_channel"], recording_url=options["recording_url"]), sink
        )
        poller = None
        if not options["no_dial"]:
            poller = DialPoller(
                manager,
                options["api_url"],
                options["token"],
                channel=options["originate_channel"],
                context=options["originate_context"],
            )
        self.stdout.write(f"AMI {options['host']}:{options['port']} -> {sink.url}")
        async with aiohttp.ClientSession() as session:
            await serve(manager, sink, session, poller)
