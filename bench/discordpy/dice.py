"""The dice extension: `/roll 2d6+3` and `/coin`, as Cogwheel's bundled dice cog answers them."""
import random
import re

import discord
from discord import app_commands
from discord.ext import commands

EXPRESSION = re.compile(r"^(\d*)d(\d+)([+-]\d+)?$")


class Dice(commands.Cog):
    @app_commands.command(name="roll", description="Roll dice, e.g. 2d6+3")
    async def roll(self, interaction: discord.Interaction, dice: str) -> None:
        match = EXPRESSION.match(dice.replace(" ", ""))
        if not match:
            await interaction.response.send_message(f"I can't roll `{dice}`. Try something like `2d6+3`.", ephemeral=True)
            return
        count, sides, modifier = int(match[1] or 1), int(match[2]), int(match[3] or 0)
        rolls = [random.randint(1, sides) for _ in range(count)]
        await interaction.response.send_message(
            f"🎲 {interaction.user.display_name} rolled {dice}: {rolls} = {sum(rolls) + modifier}")

    @app_commands.command(name="coin", description="Flip a coin")
    async def coin(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("🪙 Heads" if random.random() < 0.5 else "🪙 Tails")


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Dice())
