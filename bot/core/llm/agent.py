"""The language model path: the chat model, the retrieval tools it may call, and the fallback.

The agent gets the same retrieval functions the offline answer uses, as tools. It only words the
answer: what the reply is about (customer, skus, tips) comes from the tools it actually called,
and a failing or slow model leaves the offline answer in place with a one-line notice.
Under LLM_DATA=minimal every model call of a run passes through the guard of
bot.core.llm.privacy (RedactingMiddleware), the system prompt included.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from langchain.agents import create_agent
from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse
from langchain.chat_models import init_chat_model
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from bot.core import wording as replies
from bot.core.i18n import N_, _, english_language_name
from bot.core.llm import prompts
from bot.core.llm.privacy import MINIMAL, Redactor, redactor
from bot.core.llm.tools import Toolbox
from bot.core.retrieval import Retrieval
from bot.core.types import Caller, Intent, Reply
from storage.customers import get_customer
from storage.db import read_session
from storage.models import Product

log = logging.getLogger(__name__)

# Graph steps per question (a model call and a tool round are one step each): room for about six
# rounds of tools, and a model that keeps calling tools still ends well inside the timeout.
MAX_STEPS = 14
# The integration package each optional extra of pyproject.toml installs.
_EXTRAS = {
    "langchain-openai": "openai",
    "langchain-ollama": "ollama",
    "langchain-anthropic": "anthropic",
}

TIMEOUT_NOTICE = N_(
    "The language model did not answer in {seconds:g} s; this is the offline answer."
)
FAILED_NOTICE = N_("The language model failed ({error}); this is the offline answer.")
EMPTY_NOTICE = N_("The language model gave no answer; this is the offline answer.")


def make_llm(model: str) -> BaseChatModel:
    """Build the chat model named "provider:model", e.g. "openai:gpt-4o-mini"."""
    if not model.strip():
        raise ValueError("LLM_MODEL is empty: set it to 'provider:model' or leave the LLM off")
    try:
        return init_chat_model(model)
    except ImportError as exc:
        # LangChain names the missing package; our extras install exactly those packages.
        package = next((p for p in _EXTRAS if p in str(exc)), None)
        how = (
            f"pip install 'clienteling-assistant[{_EXTRAS[package]}]'"
            if package
            else f"install its LangChain integration ({exc})"
        )
        raise ValueError(f"LLM_MODEL={model!r} needs a provider package: {how}") from exc
    except ValueError as exc:
        raise ValueError(
            f"LLM_MODEL={model!r} names no provider LangChain knows; use 'provider:model', "
            f"e.g. 'openai:gpt-4o-mini', 'anthropic:claude-sonnet-4-5' or 'ollama:llama3.1'. "
            f"({exc})"
        ) from exc


def answer_with_llm(
    retrieval: Retrieval,
    llm: BaseChatModel,
    caller: Caller,
    text: str,
    offline: Reply,
    *,
    timeout: float,
    llm_data: str = MINIMAL,
) -> Reply:
    """Answer with the language model and the retrieval tools, or return the offline reply
    (with a one-line notice) when the model fails, gives nothing, or takes over `timeout` s.
    `llm_data` (LLM_DATA): "minimal" hides contact details and birthdays from the model in
    every message of the run (bot.core.llm.privacy), "full" sends what the tools return."""
    guard = redactor(
        retrieval, llm_data, known_ids=[offline.customer_id] if offline.customer_id else []
    )
    toolbox = Toolbox(retrieval, minimal=guard is not None)
    system_prompt = _system_prompt(retrieval, caller, offline, hidden=guard is not None)
    middleware = [RedactingMiddleware(guard)] if guard is not None else []
    run = _agent_run(llm, toolbox, system_prompt, text, middleware)
    seconds = timeout
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="llm")
    future = pool.submit(run)
    # Return the pool's thread when the run ends, without waiting for it here: a run that
    # times out keeps its thread until the provider gives up, but the associate does not wait.
    pool.shutdown(wait=False)
    try:
        final = future.result(timeout=seconds)
    except Exception as exc:
        if not future.done():
            future.cancel()
            log.warning("LLM did not answer in %g s; answering offline", seconds)
            return replace(offline, notice=_(TIMEOUT_NOTICE).format(seconds=seconds))
        log.warning("LLM failed; answering offline", exc_info=exc)
        return replace(offline, notice=_(FAILED_NOTICE).format(error=type(exc).__name__))
    answer = final.text.strip()
    if not answer or final.tool_calls or final.invalid_tool_calls:
        log.warning("LLM gave no usable final answer; answering offline")
        return replace(offline, notice=_(EMPTY_NOTICE))
    return Reply(
        text=replies.clip(answer),
        intent=offline.intent,
        customer_id=toolbox.customer_id,
        skus=list(toolbox.skus),
        tip_ids=list(toolbox.tip_ids),
        options=list(offline.options),
        sources=[f"tool {name}" for name in toolbox.used] + toolbox.sources,
        language=offline.language,
    )


class RedactingMiddleware(AgentMiddleware):
    """Redacts every message of every model call of an agent run, the system prompt included,
    with a privacy.Redactor; the graph's state (what the tools and the reply use) stays whole.

    LangChain's PIIMiddleware is not enough here: it never sees the system prompt (that is
    not in the state), redacts only the last human message and the tool results after the
    last AI message, leaves tool-call arguments alone and knows no phone numbers or birthdays.
    """

    def __init__(self, guard: Redactor):
        super().__init__()
        self.guard = guard

    def wrap_model_call(
        self, request: ModelRequest, handler: Callable[[ModelRequest], ModelResponse]
    ) -> ModelResponse:
        """Send the model a redacted copy of the request."""
        return handler(self._redacted(request))

    async def awrap_model_call(
        self, request: ModelRequest, handler: Callable[[ModelRequest], Awaitable[ModelResponse]]
    ) -> ModelResponse:
        """Send the model a redacted copy of the request."""
        return await handler(self._redacted(request))

    def _redacted(self, request: ModelRequest) -> ModelRequest:
        system = request.system_message
        messages = self.guard.messages([*([system] if system else []), *request.messages])
        if system is None:
            return request.override(messages=messages)
        first = messages[0]
        assert isinstance(first, SystemMessage)
        return request.override(system_message=first, messages=messages[1:])


def _agent_run(
    llm: BaseChatModel,
    toolbox: Toolbox,
    system_prompt: str,
    text: str,
    middleware: Sequence[AgentMiddleware[Any, Any, Any]] = (),
) -> Callable[[], AIMessage]:
    def run() -> AIMessage:
        # Built inside the worker so that building the graph counts against the timeout too.
        agent = create_agent(
            llm, toolbox.tools, system_prompt=system_prompt, middleware=middleware
        )
        state = agent.invoke(
            {"messages": [HumanMessage(text)]}, config={"recursion_limit": MAX_STEPS}
        )
        final = state["messages"][-1]
        if not isinstance(final, AIMessage):
            raise TypeError(f"the agent ended on a {type(final).__name__}, not an AI message")
        return final

    return run


def _system_prompt(
    retrieval: Retrieval, caller: Caller, offline: Reply, *, hidden: bool = False
) -> str:
    # One system message: some providers refuse a second one after the first.
    store = f", store {caller.store}" if caller.store else ""
    lines = [
        prompts.SYSTEM_PROMPT,
        prompts.TODAY.format(date=retrieval.clock().date().isoformat()),
        prompts.CALLER.format(name=caller.name, role=caller.role, store=store),
        prompts.REPLY_LANGUAGE.format(
            language=english_language_name(offline.language), code=offline.language
        ),
    ]
    with read_session(retrieval.engine) as db:
        if offline.customer_id and (
            customer := get_customer(session=db, customer_id=offline.customer_id)
        ):
            lines.append(
                prompts.CUSTOMER_CONTEXT.format(
                    customer_id=customer.customer_id, name=replies.full_name(customer)
                )
            )
        if offline.intent == Intent.product and len(offline.skus) == 1:
            product = db.get(Product, offline.skus[0])
            if product is not None:
                lines.append(prompts.PRODUCT_CONTEXT.format(sku=product.sku, name=product.name))
    if hidden:
        lines.append(prompts.HIDDEN_DATA)
    return "\n".join(lines)
