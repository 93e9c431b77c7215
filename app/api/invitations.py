from __future__ import annotations

from fastapi import APIRouter, status

from app.accounts.schemas import UserRead
from app.api.deps import SessionDep
from app.organizations import service as organizations
from app.organizations.schemas import InvitationAccept

router = APIRouter(prefix="/invitations", tags=["organizations"])


@router.post("/accept", status_code=status.HTTP_201_CREATED)
async def accept_invitation(data: InvitationAccept, session: SessionDep) -> UserRead:
    """Create the invited person's account from the token in their link. Public; single use."""
    return UserRead.model_validate(await organizations.accept_invitation(session, data))
