"""An unmodified discord.py bot with one slash command, pointed at the Cogwheel simulator.

Usage: python3 discordpy_bot.py API_BASE GATEWAY_URL  (token in DISCORD_TOKEN)

Only the two URLs discord.py is documented to route through are changed. The bot syncs its
command tree when ready and prints SYNCED; it answers /echo until it is terminated. It asks for
the members and message content intents, and prints what its event handlers see: JOINED for
on_member_join, MESSAGE for on_message and REACTION for on_raw_reaction_add.
"""
import logging
import os
import sys

import discord
import yarl
from discord import app_commands

discord.http.Route.BASE = sys.argv[1]
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(sys.argv[2])

intents = discord.Intents.default()
intents.members = True
intents.message_content = True
client = discord.Client(intents=intents)
tree = app_commands.CommandTree(client)


@tree.command(name="echo", description="Echo some text")
@app_commands.describe(text="What to echo")
async def echo(interaction: discord.Interaction, text: str) -> None:
    await interaction.response.send_message(f"echo: {text}")


@client.event
async def on_member_join(member: discord.Member) -> None:
    print(f"JOINED {member.guild.id} {member.id} {member.name}", flush=True)


@client.event
async def on_message(message: discord.Message) -> None:
    if message.author.id == client.user.id:
        return
    print(f"MESSAGE {message.channel.id} {message.author.name}: {message.content}", flush=True)
    await message.channel.send(f"heard {message.author.name}")


@client.event
async def on_raw_reaction_add(payload: discord.RawReactionActionEvent) -> None:
    print(f"REACTION {payload.message_id} {payload.emoji.name} {payload.user_id}", flush=True)


@client.event
async def on_ready() -> None:
    await tree.sync()
    print("SYNCED", flush=True)


client.run(os.environ["DISCORD_TOKEN"], log_level=logging.WARNING)
