"""The discord.py side of the side-by-side benchmarks: an unmodified discord.py 2.x bot with the
`dice` extension (the equivalent of Cogwheel's bundled dice cog), the `listeners` extension
(a cog with `on_message` and `on_member_join` listeners) and the bot-level commands Cogwheel's
host provides (`/ping`, `/reload`).

Usage: python3 bench_bot.py API_BASE GATEWAY_URL  (token in DISCORD_TOKEN; BENCH_MEMBERS=1 adds
the members intent for the events benchmark; start-up chunking is off either way)

Only the two URLs discord.py documents as its endpoints are changed. The driver talks to the bot
over standard input and output:

    expect EVENT N   count EVENT from zero; print "REACHED EVENT N" when the N-th reached its
                     handler (INTERACTION_CREATE: the /ping callback, which then only counts;
                     MESSAGE_CREATE: the listeners cog's on_message; GUILD_MEMBER_ADD: its
                     on_member_join; GUILD_CREATE: on_guild_join/on_guild_available)
    answer           /ping answers again
    guilds           print "GUILDS n" with the number of guilds in the cache

The bot prints SYNCED once its command tree is synced, and exits when its standard input
closes, so it never outlives the driver.
"""
import asyncio
import logging
import os
import sys
import threading
import time

import discord
import yarl
from discord.ext import commands

discord.http.Route.BASE = sys.argv[1]
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(sys.argv[2])


class BenchBot(commands.Bot):
    def __init__(self) -> None:
        intents = discord.Intents.default()
        members = os.environ.get("BENCH_MEMBERS") == "1"
        intents.members = members
        # No start-up chunking: the benchmark's guilds arrive with their members, and the bot's
        # answer to /ping (how the driver knows a batch was read) must not wait for chunks.
        super().__init__(command_prefix=commands.when_mentioned, intents=intents, chunk_guilds_at_startup=False)
        self.counting: str | None = None
        self.count = 0
        self.target = 0

    def reached(self, event: str) -> None:
        if self.counting != event:
            return
        self.count += 1
        if self.count == self.target:
            print(f"REACHED {event} {self.target}", flush=True)

    def control(self, line: str) -> None:
        words = line.split()
        if words[:1] == ["expect"] and len(words) == 3:
            self.counting, self.count, self.target = words[1], 0, int(words[2])
            print(f"EXPECTING {words[1]} {words[2]}", flush=True)
        elif words == ["answer"]:
            self.counting = None
            print("ANSWERING", flush=True)
        elif words == ["guilds"]:
            print(f"GUILDS {len(self.guilds)}", flush=True)

    async def setup_hook(self) -> None:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        await self.load_extension("dice")
        await self.load_extension("listeners")
        loop = asyncio.get_running_loop()

        def read_controls() -> None:
            for line in sys.stdin:
                loop.call_soon_threadsafe(self.control, line)
            # The driver is gone (its end of the pipe closed): do not outlive it.
            os._exit(0)

        threading.Thread(target=read_controls, daemon=True).start()


bot = BenchBot()


@bot.tree.command(name="ping", description="Pong")
async def ping(interaction: discord.Interaction) -> None:
    if bot.counting == "INTERACTION_CREATE":
        bot.reached("INTERACTION_CREATE")
        return
    await interaction.response.send_message("Pong!")


@bot.tree.command(name="reload", description="Reload an extension")
async def reload(interaction: discord.Interaction, name: str) -> None:
    started = time.perf_counter()
    try:
        await bot.reload_extension(name)
    except commands.ExtensionError as error:
        await interaction.response.send_message(f"reload failed: {error}", ephemeral=True)
        return
    elapsed = (time.perf_counter() - started) * 1000
    await interaction.response.send_message(f"Reloaded {name} in {elapsed:.2f} ms", ephemeral=True)


@bot.event
async def on_message(message: discord.Message) -> None:
    # No prefix commands: Cogwheel has none either, so neither bot parses messages for them.
    # The listeners cog's on_message still runs, as a cog's listener does beside this event.
    pass


@bot.event
async def on_guild_join(guild: discord.Guild) -> None:
    bot.reached("GUILD_CREATE")


@bot.event
async def on_guild_available(guild: discord.Guild) -> None:
    bot.reached("GUILD_CREATE")


@bot.event
async def on_ready() -> None:
    await bot.tree.sync()
    print("SYNCED", flush=True)


bot.run(os.environ["DISCORD_TOKEN"], log_level=logging.WARNING)
