"""An unmodified discord.py bot with one slash command, pointed at the Cogwheel simulator.

Usage: python3 discordpy_bot.py API_BASE GATEWAY_URL  (token in DISCORD_TOKEN)

Only the two URLs discord.py is documented to route through are changed. The bot syncs its
command tree when ready and prints SYNCED; it answers /echo until it is terminated.
"""
import logging
import os
import sys

import discord
import yarl
from discord import app_commands

discord.http.Route.BASE = sys.argv[1]
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(sys.argv[2])

client = discord.Client(intents=discord.Intents.default())
tree = app_commands.CommandTree(client)


@tree.command(name="echo", description="Echo some text")
@app_commands.describe(text="What to echo")
async def echo(interaction: discord.Interaction, text: str) -> None:
    await interaction.response.send_message(f"echo: {text}")


@client.event
async def on_ready() -> None:
    await tree.sync()
    print("SYNCED", flush=True)


client.run(os.environ["DISCORD_TOKEN"], log_level=logging.WARNING)
