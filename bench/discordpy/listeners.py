"""The discord.py side of the events benchmark: a cog whose listeners count messages and members
that joined, the equivalent of Cogwheel's `bench/cogs/listener`. `bench_bot.py` loads it."""
from discord.ext import commands


class Listeners(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_message(self, message) -> None:
        self.bot.reached("MESSAGE_CREATE")

    @commands.Cog.listener()
    async def on_member_join(self, member) -> None:
        self.bot.reached("GUILD_MEMBER_ADD")


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Listeners(bot))
