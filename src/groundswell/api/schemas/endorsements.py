from ninja import Field, Schema


class EndorsementOut(Schema):
    signer: str = Field(description='"organization" or "individual"')
    name: str | None = Field(description="The organization's name, or an individual's if they chose it")
    kind: str = Field(description="The kind of organization (empty for individuals)")
    country: str
    website: str


class EndorsementPage(Schema):
    items: list[EndorsementOut]
    next_cursor: str | None
    next: str | None
